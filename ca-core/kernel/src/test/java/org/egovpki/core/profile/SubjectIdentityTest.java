package org.egovpki.core.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.egovpki.core.DomainException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SubjectIdentityTest {

    @Test
    void noneIsEmpty() {
        assertThat(SubjectIdentity.none().isEmpty()).isTrue();
        assertThat(SubjectIdentity.residentId("11010519491231002X").isEmpty()).isFalse();
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", " ", "1101051949123100２X", "110105_19491231", " 11010519491231002X"})
    void aResidentIdThatIsNoCleanPrintableStringIsRefused(String value) {
        assertThatThrownBy(() -> SubjectIdentity.residentId(value))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DomainException.Kind.BAD_REQUEST);
                    assertThat(e.field()).isEqualTo("identity.residentIdNumber");
                });
    }

    @Test
    void theMilitaryOfficerNumberMayBeChineseText() {
        assertThat(new SubjectIdentity(null, null, "军字第2001号", null, null, null, null, null).militaryOfficerNumber())
                .isEqualTo("军字第2001号");
    }

    @Test
    void aUsccWithChineseCharactersIsRefused() {
        assertThatThrownBy(() -> SubjectIdentity.organization("统一代码"))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.field()).isEqualTo("identity.uscc"));
    }

    @Test
    void overlongValuesAreRefused() {
        assertThatThrownBy(() -> SubjectIdentity.residentId("1".repeat(SubjectIdentity.MAX_LENGTH + 1)))
                .isInstanceOf(DomainException.class)
                .hasMessageContaining("more than");
    }
}
