package org.egovpki.core.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Period;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CertificateProfileTest {

    private static CertificateProfile.Builder valid() {
        return CertificateProfile.builder("personal-dual", CertificateType.PERSONAL)
                .validity(Period.ofYears(2))
                .policy("1.2.156.112559.1.1.1", "https://pki.egov-pki.test/cps");
    }

    @Test
    void builderDefaultsAreTheSafeOnes() {
        CertificateProfile profile = valid().description(null).build();

        assertThat(profile.dual()).isFalse();
        assertThat(profile.identityExtensions()).isEqualTo(IdentityExtensionForm.NONE);
        assertThat(profile.extendedKeyUsages()).isEmpty();
        assertThat(profile.allowSubjectAltNames()).isFalse();
        assertThat(profile.autoApproveForRa()).isFalse();
        assertThat(profile.description()).isEmpty();
        assertThat(profile.kinds()).containsExactly(KeyUsageKind.SIGNING);
    }

    @Test
    void aDualProfileIssuesSigningAndEncryption() {
        assertThat(valid().dual(true).build().kinds())
                .containsExactly(KeyUsageKind.SIGNING, KeyUsageKind.ENCRYPTION);
    }

    @Test
    void extendedKeyUsagesAreCopied() {
        List<String> ekus = new ArrayList<>(List.of("1.3.6.1.5.5.7.3.2"));
        CertificateProfile profile = valid().extendedKeyUsages(ekus).build();
        ekus.add("1.3.6.1.5.5.7.3.4");

        assertThat(profile.extendedKeyUsages()).containsExactly("1.3.6.1.5.5.7.3.2");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "-device", "Device", "device_ssl", "设备", "a b",
        "a234567890123456789012345678901234567890123456789012345678901234"})
    void badNamesAreRefused(String name) {
        assertThatThrownBy(() -> CertificateProfile.builder(name, CertificateType.DEVICE)
                .validity(Period.ofYears(1)).policy("1.2.3", "http://x.test/cps").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("profile name");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"P5Y3M", "P63M", "P5Y", "P1D", "P5Y2M28D", "P1915D"})
    void validityUpToFiveYearsThreeMonthsIsAccepted(String validity) {
        assertThat(valid().validity(Period.parse(validity)).build().validity()).isEqualTo(Period.parse(validity));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"P5Y4M", "P5Y3M1D", "P64M", "P5Y2M31D", "P1916D", "P0D", "P-1Y", "P6Y-9M"})
    void validityAboveFiveYearsThreeMonthsOrNotPositiveIsRefused(String validity) {
        assertThatThrownBy(() -> valid().validity(Period.parse(validity)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"personal-dual\"")
                .hasMessageContaining(validity);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"clientAuth", "1", "1.", "3.1", "1.2..3", "1.40"})
    void extendedKeyUsagesMustBeOids(String eku) {
        assertThatThrownBy(() -> valid().extendedKeyUsages(List.of(eku)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("extendedKeyUsage");
    }

    @Test
    void aRepeatedExtendedKeyUsageIsRefused() {
        assertThatThrownBy(() -> valid().extendedKeyUsages(List.of("1.3.6.1.5.5.7.3.2", "1.3.6.1.5.5.7.3.2")).build())
                .hasMessageContaining("twice");
    }

    @Test
    void policyOidAndCpsUriAreRequired() {
        assertThatThrownBy(() -> valid().policy(null, "http://x.test/cps").build()).hasMessageContaining("policyOid");
        assertThatThrownBy(() -> valid().policy("1.2.3", null).build()).hasMessageContaining("cpsUri");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ldap://x.test/cps", "ftp://x.test/cps", "/cps", "http:///cps", "http://x.test/认证业务规则"})
    void cpsUriMustBeAnAsciiHttpUrl(String uri) {
        assertThatThrownBy(() -> valid().policy("1.2.3", uri).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cpsUri");
    }
}
