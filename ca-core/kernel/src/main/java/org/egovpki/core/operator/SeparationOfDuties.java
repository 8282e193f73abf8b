package org.egovpki.core.operator;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.egovpki.core.DomainException;

/**
 * The role combinations one operator may not hold (REQUIREMENTS §7; CPS 001 §6.6.1.2, 002 §6.2.3,
 * 003 §5.2). Every channel that grants roles — the REST API and the CLI through
 * {@code OperatorAdministration}, the local bootstrap {@code egov-pki operator add}, the first CA
 * admin — asks {@link #check} before it writes anything, so no channel can create a combination the
 * others refuse.
 *
 * <p>What is <em>not</em> here, on purpose: an entry clerk may also be a reviewer. The seeds' "clerk
 * ≠ reviewer" is dual control of each request, and the enrollment service enforces it per request
 * (nobody reviews a request they entered, on any channel); a small registration office where the
 * same people enter some applications and review their colleagues' keeps that control intact.
 */
public final class SeparationOfDuties {

    /** The administrative roles a key custodian may not hold. */
    public static final Set<Role> ADMIN_ROLES = Set.copyOf(EnumSet.of(Role.SUPER_ADMIN, Role.SYSTEM_ADMIN,
            Role.SECURITY_ADMIN, Role.RA_ADMIN, Role.CA_ADMIN, Role.KM_BUSINESS_ADMIN));

    /**
     * One forbidden combination: an operator holding {@code role} may hold none of {@code excluded}.
     *
     * @param role     the role the rule is about
     * @param excluded the roles it may not be combined with
     * @param cps      where the CPSs require it
     * @param why      the reason, for the refusal message
     */
    public record Rule(Role role, Set<Role> excluded, String cps, String why) {
        public Rule {
            excluded = Set.copyOf(excluded);
        }
    }

    /**
     * The rules, most specific first, so a refusal names the rule an administrator will recognise
     * (CA admin and auditor is refused by its own rule, not only as "auditor with an operating role").
     */
    public static final List<Rule> RULES = List.of(
            new Rule(Role.CA_ADMIN, EnumSet.of(Role.AUDITOR), "CPS 001 §6.6.1.2, 003 §5.2",
                    "the CA operator is not its own auditor"),
            new Rule(Role.KEY_CUSTODIAN, ADMIN_ROLES, "CPS 001 §6.6.2.2, 003 §5.2",
                    "a key custodian holds a CA key share and no administrative role"),
            new Rule(Role.AUDITOR, EnumSet.complementOf(EnumSet.of(Role.AUDITOR)), "CPS 001 §6.6.1.2, 003 §5.2",
                    "the auditor reads and exports the audit trail and holds no operating role"));

    private SeparationOfDuties() {
    }

    /** The first rule the roles break, with the two roles that break it; empty if they may be held together. */
    public static Optional<Violation> violation(Set<Role> roles) {
        for (Rule rule : RULES) {
            if (!roles.contains(rule.role())) {
                continue;
            }
            for (Role other : EnumSet.allOf(Role.class)) {
                if (roles.contains(other) && rule.excluded().contains(other)) {
                    return Optional.of(new Violation(rule, rule.role(), other));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Refuses roles that one operator may not hold together.
     *
     * @throws DomainException {@code BAD_REQUEST} on field {@code roles}, naming both roles and the CPS section
     */
    public static void check(Set<Role> roles) {
        violation(roles).ifPresent(v -> {
            throw DomainException.badRequest("roles", v.message());
        });
    }

    /** A broken rule and the two roles that break it. */
    public record Violation(Rule rule, Role role, Role with) {
        /** The refusal: both roles, the reason and the CPS section. */
        public String message() {
            return "roles " + role + " and " + with + " may not be held by one operator: " + rule.why() + " ("
                    + rule.cps() + ", separation of duties)";
        }
    }

    /** Whether this operator manages operators and roles: a security admin, or a super admin (who may do what a security admin does). */
    public static boolean managesOperators(Operator operator) {
        return operator.has(Role.SECURITY_ADMIN) || operator.has(Role.SUPER_ADMIN);
    }
}
