package org.egovpki.core.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.egovpki.core.DomainException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class SeparationOfDutiesTest {

    @ParameterizedTest(name = "AUDITOR with {0}")
    @EnumSource(value = Role.class, names = "AUDITOR", mode = EnumSource.Mode.EXCLUDE)
    void anAuditorHoldsNoOperatingRole(Role other) {
        assertRefused(EnumSet.of(Role.AUDITOR, other), Role.AUDITOR, other);
    }

    @ParameterizedTest(name = "KEY_CUSTODIAN with {0}")
    @EnumSource(value = Role.class, names = {"SUPER_ADMIN", "SYSTEM_ADMIN", "SECURITY_ADMIN", "RA_ADMIN", "CA_ADMIN",
            "KM_BUSINESS_ADMIN"})
    void aKeyCustodianHoldsNoAdminRole(Role admin) {
        assertRefused(EnumSet.of(Role.KEY_CUSTODIAN, admin), Role.KEY_CUSTODIAN, admin);
    }

    @Test
    void theCaOperatorIsNotTheAuditorAndTheRefusalNamesThatRule() {
        DomainException e = refusal(EnumSet.of(Role.CA_ADMIN, Role.AUDITOR));
        assertThat(e.getMessage()).startsWith("roles CA_ADMIN and AUDITOR may not be held by one operator: the CA "
                + "operator is not its own auditor (CPS 001 §6.6.1.2, 003 §5.2");
    }

    static Stream<Set<Role>> allowed() {
        return Stream.of(EnumSet.of(Role.AUDITOR), EnumSet.of(Role.KEY_CUSTODIAN),
                EnumSet.of(Role.KEY_CUSTODIAN, Role.ENTRY_CLERK, Role.REVIEWER, Role.KM_OPERATOR),
                EnumSet.of(Role.ENTRY_CLERK, Role.REVIEWER), EnumSet.of(Role.CA_ADMIN, Role.RA_ADMIN),
                EnumSet.of(Role.SECURITY_ADMIN, Role.SUPER_ADMIN, Role.SYSTEM_ADMIN),
                EnumSet.complementOf(EnumSet.of(Role.AUDITOR, Role.KEY_CUSTODIAN)));
    }

    @ParameterizedTest
    @MethodSource("allowed")
    void otherCombinationsAreAllowedIncludingClerkAndReviewer(Set<Role> roles) {
        assertThat(SeparationOfDuties.violation(roles)).isEmpty();
        SeparationOfDuties.check(roles);
    }

    @Test
    void securityAndSuperAdminsManageOperatorsNobodyElse() {
        for (Role role : Role.values()) {
            Operator operator = new Operator("o", "uid=o,ou=operators,o=egov", "O", Set.of(role));
            assertThat(SeparationOfDuties.managesOperators(operator)).as(role.name())
                    .isEqualTo(role == Role.SECURITY_ADMIN || role == Role.SUPER_ADMIN);
        }
    }

    private static void assertRefused(Set<Role> roles, Role role, Role with) {
        DomainException e = refusal(roles);
        assertThat(e.getMessage()).contains(role.name()).contains(with.name()).contains("CPS 001 §6.6.")
                .contains("separation of duties");
    }

    private static DomainException refusal(Set<Role> roles) {
        try {
            SeparationOfDuties.check(roles);
        } catch (DomainException e) {
            assertThat(e.kind()).isEqualTo(DomainException.Kind.BAD_REQUEST);
            assertThat(e.field()).isEqualTo("roles");
            return e;
        }
        throw new AssertionError("roles " + roles + " were not refused");
    }
}
