package org.egovpki.core.operator;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.egovpki.core.BusinessTypes;
import org.egovpki.core.DomainException;

/**
 * Which business types an operator may see (001 §6.4.2). An {@link Role#APPLICATION_ADMIN} sees
 * only the certificates, statistics and sync state of the business types on its operator entry;
 * to it everything else does not exist, so a service answers a thing out of scope exactly like an
 * absent one (not found, never forbidden). Every other operator is unrestricted here; what it may
 * do is decided by its roles, as before.
 *
 * <p>Business types are compared case-insensitively, as the directory compares
 * {@code egovBusinessType}.
 */
public final class ApplicationScope {

    private static final ApplicationScope UNRESTRICTED = new ApplicationScope(null);

    /** Lower-case business types, or {@code null} for an unrestricted operator. */
    private final Set<String> businessTypes;

    private ApplicationScope(Set<String> businessTypes) {
        this.businessTypes = businessTypes;
    }

    /** The scope of an operator: restricted if and only if it holds {@link Role#APPLICATION_ADMIN}. */
    public static ApplicationScope of(Operator operator) {
        if (!operator.has(Role.APPLICATION_ADMIN)) {
            return UNRESTRICTED;
        }
        return new ApplicationScope(operator.businessTypes().stream().map(ApplicationScope::normal)
                .collect(Collectors.toUnmodifiableSet()));
    }

    /** Whether this operator sees only some business types. */
    public boolean restricted() {
        return businessTypes != null;
    }

    /** The business types seen (lower case); empty for an unrestricted operator. */
    public Set<String> businessTypes() {
        return businessTypes == null ? Set.of() : businessTypes;
    }

    /** Whether a thing of this business type ({@code null}: none recorded) is visible. */
    public boolean sees(String businessType) {
        return businessTypes == null || (businessType != null && businessTypes.contains(normal(businessType)));
    }

    /**
     * Checks the roles and business types given to a new operator: {@link Role#APPLICATION_ADMIN}
     * needs at least one business type and no other role (its scope would not bind the other
     * role's powers), and a business type without that role would mean nothing.
     *
     * @throws DomainException BAD_REQUEST naming what to change
     */
    public static void checkAssignment(Set<Role> roles, Set<String> businessTypes) {
        boolean admin = roles.contains(Role.APPLICATION_ADMIN);
        Set<String> types = businessTypes == null ? Set.of() : businessTypes;
        if (admin && types.isEmpty()) {
            throw DomainException.badRequest("businessTypes", "role APPLICATION_ADMIN needs at least one business "
                    + "type (--business-type), the applications whose certificates the admin may see");
        }
        if (!admin && !types.isEmpty()) {
            throw DomainException.badRequest("businessTypes", "a business type scopes only the role "
                    + "APPLICATION_ADMIN; add --role APPLICATION_ADMIN or leave out --business-type");
        }
        if (admin && roles.size() > 1) {
            throw DomainException.badRequest("roles", "role APPLICATION_ADMIN cannot be combined with "
                    + new TreeSet<>(roles.stream().filter(r -> r != Role.APPLICATION_ADMIN).map(Enum::name).toList())
                    + "; create a separate operator for the application admin");
        }
        for (String type : types) {
            BusinessTypes.require("businessTypes", type);
        }
    }

    private static String normal(String businessType) {
        return businessType.strip().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return businessTypes == null ? "ApplicationScope[unrestricted]" : "ApplicationScope" + new TreeSet<>(businessTypes);
    }
}
