package org.egovpki.core.enroll;

import static org.assertj.core.api.Assertions.assertThat;

import org.egovpki.core.enroll.validation.RegistrationData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubscriberIdPrivacyTest {

    private static final RegistrationData ZHANG = new RegistrationData("Zhang San", RegistrationData.RESIDENT_ID,
            "110105198001010016", "+86 10 1234 5678", null, null, null, null, null, null, "0086 138-0013-8000", null,
            "11010519491231002X", null, null, null);

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "110105198001010016", "zhang-110105198001010016", "110105-19800101-0016", "110105.19800101.0016",
            "110105800101001", "id.110105_800101_001",
            "86-10-1234-5678", "1012345678", "010-1234-5678", "p.861012345678",
            "13800138000", "138-0013-8000",
            "11010519491231002x", "110105491231002"})
    void anIdOrPhoneNumberInAnySpellingIsFound(String subscriberId) {
        assertThat(SubscriberIdPrivacy.spellsOutPersonalNumber(subscriberId, ZHANG)).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {"86 138 0013 8000", "(+86)138-0013-8000", "+86 13800138000"})
    void aMobileNumberWrittenWithItsCountryCodeAnyWayIsFoundWithoutIt(String phone) {
        RegistrationData li = new RegistrationData("Li Si", RegistrationData.RESIDENT_ID, "110105198001010016",
                phone, null, null, null, null, null, null, null, null, null, null, null, null);
        assertThat(SubscriberIdPrivacy.spellsOutPersonalNumber("li.13800138000", li)).isTrue();
        assertThat(SubscriberIdPrivacy.spellsOutPersonalNumber("li-si", li)).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"zhang-san", "s-7f3a9c", "tax.2026.0001", "86-10", "110105"})
    void anIdWithoutThemIsAccepted(String subscriberId) {
        assertThat(SubscriberIdPrivacy.spellsOutPersonalNumber(subscriberId, ZHANG)).isFalse();
    }
}
