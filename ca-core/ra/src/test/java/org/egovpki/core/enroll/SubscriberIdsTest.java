package org.egovpki.core.enroll;

import org.egovpki.core.enroll.validation.RegistrationData;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import org.egovpki.core.profile.CertificateType;
import org.junit.jupiter.api.Test;

class SubscriberIdsTest {

    private static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
    private static final String DN = "CN=Zhang San,O=Test Bureau,C=CN";

    private static RegistrationData person(String idNumber) {
        return new RegistrationData("Zhang San", RegistrationData.RESIDENT_ID, idNumber, null, null, null, null, null,
                null, null, null, null, null, List.of(), List.of(), null);
    }

    private static RegistrationData organisation(String uscc) {
        return new RegistrationData(null, null, null, null, null, null, "Test Bureau", uscc, null, "Li Si", null,
                null, "11010519491231002X", List.of(), List.of(), null);
    }

    @Test
    void aPersonsIdIsHmacSha256OfTheIdentityUnderTheRaKey() {
        // openssl dgst -sha256 -mac HMAC -macopt hexkey:000102...0f over "PERSONAL\nRESIDENT_ID:11010519491231002X"
        assertThat(new SubscriberIds(KEY).derive(CertificateType.PERSONAL, person("11010519491231002X"), DN))
                .isEqualTo("p-1f2f292660c5d8e63bc3b626cbbb7747");
    }

    @Test
    void theSamePersonAlwaysGetsTheSameIdAndAnotherKeyGivesAnother() {
        SubscriberIds ids = new SubscriberIds(KEY);
        String first = ids.derive(CertificateType.PERSONAL, person("11010519491231002X"), DN);

        assertThat(ids.derive(CertificateType.PERSONAL, person("11010519491231002X"), "CN=Other,C=CN"))
                .isEqualTo(first);
        assertThat(ids.derive(CertificateType.PERSONAL, person("440524198001010013"), DN)).isNotEqualTo(first);
        assertThat(new SubscriberIds(new byte[16]).derive(CertificateType.PERSONAL, person("11010519491231002X"), DN))
                .isNotEqualTo(first);
    }

    @Test
    void organisationsAndDevicesAreKeyedTooAndNeverShowTheirCode() {
        SubscriberIds ids = new SubscriberIds(KEY);
        String organisation = ids.derive(CertificateType.ORGANIZATION, organisation("91350100M000100Y43"), DN);

        assertThat(organisation).matches("o-[0-9a-f]{32}").doesNotContainIgnoringCase("91350100M000100Y43");
        assertThat(ids.derive(CertificateType.CODE_SIGNING, organisation("91350100M000100Y43"), "CN=x,C=CN"))
                .isEqualTo(organisation);
        assertThat(ids.derive(CertificateType.DEVICE, person(null), "CN=www.example.gov.cn,C=CN"))
                .matches("d-[0-9a-f]{32}");
    }

    @Test
    void theLegacyIdIsTheOldUnkeyedForm() {
        // echo -n "RESIDENT_ID:11010519491231002X" | sha256sum | cut -c1-20
        assertThat(SubscriberIds.legacy(CertificateType.PERSONAL, person("11010519491231002X"), DN))
                .isEqualTo("p-b74f4b3ae503e5b11804");
        assertThat(SubscriberIds.legacy(CertificateType.ORGANIZATION, organisation("91350100M000100Y43"), DN))
                .isEqualTo("o-91350100m000100y43");
    }

    @Test
    void aShortKeyIsRefusedAndTheKeyIsNeverPrinted() {
        assertThatThrownBy(() -> new SubscriberIds(new byte[8])).hasMessageContaining("at least 16 bytes");
        assertThat(new SubscriberIds(KEY).toString()).doesNotContain("0001020304");
    }
}
