package org.egovpki.core.operator;

import java.util.EnumSet;
import java.util.Set;

/**
 * Which operators must log in with two factors, password and an operator certificate (001
 * §6.6.1.2): those holding any of {@code roles} ({@code operators.secondFactor.roles}). By default
 * the administrative roles, {@link SeparationOfDuties#ADMIN_ROLES}; operators with none of them may
 * use the password alone.
 *
 * @param roles the roles that require the second factor; empty: nobody needs it
 */
public record SecondFactorPolicy(Set<Role> roles) {

    /** The administrative roles: super, system and security admins, the CA, KM and RA business admins. */
    public static final SecondFactorPolicy ADMINISTRATIVE_ROLES = new SecondFactorPolicy(SeparationOfDuties.ADMIN_ROLES);

    public SecondFactorPolicy {
        roles = roles == null || roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    }

    /** Whether this operator must present the second factor. */
    public boolean requiredFor(Operator operator) {
        return operator.roles().stream().anyMatch(roles::contains);
    }
}
