package org.egovpki.core.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Set;
import org.egovpki.core.DomainException;
import org.junit.jupiter.api.Test;

class ApplicationScopeTest {

    @Test
    void anApplicationAdminSeesItsBusinessTypesWhateverTheirCase() {
        ApplicationScope scope = ApplicationScope.of(new Operator("a", "uid=a", "A", Set.of(Role.APPLICATION_ADMIN),
                Set.of("Tax", "customs")));

        assertThat(scope.restricted()).isTrue();
        assertThat(scope.sees("TAX")).isTrue();
        assertThat(scope.sees("customs")).isTrue();
        assertThat(scope.sees("health")).isFalse();
        assertThat(scope.sees(null)).as("a certificate without a business type").isFalse();
    }

    @Test
    void otherOperatorsAreNotRestrictedEvenWithBusinessTypesOnTheirEntry() {
        ApplicationScope scope = ApplicationScope.of(new Operator("c", "uid=c", "C", Set.of(Role.CA_ADMIN), Set.of("tax")));

        assertThat(scope.restricted()).isFalse();
        assertThat(scope.sees("health")).isTrue();
        assertThat(scope.sees(null)).isTrue();
    }

    @Test
    void theRoleNeedsABusinessTypeABusinessTypeNeedsTheRoleAndTheRoleStandsAlone() {
        ApplicationScope.checkAssignment(EnumSet.of(Role.APPLICATION_ADMIN), Set.of("tax"));
        ApplicationScope.checkAssignment(EnumSet.of(Role.CA_ADMIN), Set.of());

        assertRefused(() -> ApplicationScope.checkAssignment(EnumSet.of(Role.APPLICATION_ADMIN), Set.of()),
                "role APPLICATION_ADMIN needs at least one business type");
        assertRefused(() -> ApplicationScope.checkAssignment(EnumSet.of(Role.AUDITOR), Set.of("tax")),
                "a business type scopes only the role APPLICATION_ADMIN");
        assertRefused(() -> ApplicationScope.checkAssignment(EnumSet.of(Role.APPLICATION_ADMIN, Role.CA_ADMIN),
                Set.of("tax")), "role APPLICATION_ADMIN cannot be combined with [CA_ADMIN]");
        assertRefused(() -> ApplicationScope.checkAssignment(EnumSet.of(Role.APPLICATION_ADMIN), Set.of(" ")),
                "businessTypes must be a business type name");
        for (String odd : new String[] {"a\u0000b", "tax\u202e", "<script>x</script>", "*)(x=*", "t".repeat(65)}) {
            assertRefused(() -> ApplicationScope.checkAssignment(EnumSet.of(Role.APPLICATION_ADMIN), Set.of(odd)),
                    "businessTypes must be a business type name");
        }
    }

    private static void assertRefused(Runnable check, String message) {
        assertThatThrownBy(check::run).isInstanceOfSatisfying(DomainException.class,
                e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.BAD_REQUEST)).hasMessageContaining(message);
    }
}
