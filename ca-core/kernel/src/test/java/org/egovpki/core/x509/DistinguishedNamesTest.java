package org.egovpki.core.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1PrintableString;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DistinguishedNamesTest {

    @Test
    void derOrderIsTheReverseOfTheStringAndStringTypesFollowRfc5280() throws Exception {
        X500Name name = DistinguishedNames.parse("E=ca@egov-pki.test,CN=egov-pki SM2 Root CA,OU=PKI,O=egov-pki,L=Hangzhou,ST=Zhejiang,C=CN");

        X500Name decoded = X500Name.getInstance(name.getEncoded());
        RDN[] rdns = decoded.getRDNs();
        assertThat(rdns).extracting(rdn -> rdn.getFirst().getType())
                .containsExactly(BCStyle.C, BCStyle.ST, BCStyle.L, BCStyle.O, BCStyle.OU, BCStyle.CN, BCStyle.EmailAddress);
        assertThat(rdns[0].getFirst().getValue()).isInstanceOf(ASN1PrintableString.class);
        for (int i = 1; i < 6; i++) {
            assertThat(rdns[i].getFirst().getValue()).isInstanceOf(ASN1UTF8String.class);
        }
        assertThat(rdns[6].getFirst().getValue()).isInstanceOf(ASN1IA5String.class);
    }

    @Test
    void agreesWithTheJdkReadingOfTheSameString() throws Exception {
        String dn = "CN=egov-pki SM2 Root CA,O=egov-pki,C=CN";

        X500Principal principal = new X500Principal(DistinguishedNames.parse(dn).getEncoded());

        assertThat(principal.getName()).isEqualTo(dn);
        assertThat(new X500Principal(dn).getName()).isEqualTo(principal.getName());
    }

    @Test
    void chineseValuesRoundTripAsUtf8String() throws Exception {
        String dn = "CN=浙江省数字证书认证中心 SM2 CA,O=浙江省电子政务,C=CN";

        X500Name name = X500Name.getInstance(DistinguishedNames.parse(dn).getEncoded());

        assertThat(DistinguishedNames.format(name)).isEqualTo(dn);
        assertThat(name.getRDNs(BCStyle.CN)[0].getFirst().getValue()).isInstanceOf(ASN1UTF8String.class);
    }

    @Test
    void escapedCharactersRoundTrip() {
        String dn = "CN=Root\\, Test \\+ Demo,O=egov-pki,C=CN";

        X500Name name = DistinguishedNames.parse(dn);

        assertThat(name.getRDNs(BCStyle.CN)[0].getFirst().getValue().toString()).isEqualTo("Root, Test + Demo");
        assertThat(DistinguishedNames.parse(DistinguishedNames.format(name))).isEqualTo(name);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "CN=Root,UID=admin,C=CN        | attribute type UID is not allowed",
            "CN=Root,FOO=bar,C=CN          | cannot parse distinguished name",
            "CN=Root,SERIALNUMBER=1,C=CN   | SERIALNUMBER is not allowed",
            "CN=,O=egov-pki,C=CN           | CN is blank",
            "'CN=  ,O=egov-pki,C=CN'       | CN is blank",
            "CN=Root,C=China               | ISO 3166",
            "CN=Root,C=cn                  | not an ISO 3166 two-letter",
            "E=管理员@egov-pki.test,CN=Root  | not an ASCII e-mail address",
            "CN=#0403414243,C=CN           | not as #hex",
    })
    void refusesWithAMessageNamingTheProblem(String dn, String message) {
        assertThatThrownBy(() -> DistinguishedNames.parse(dn))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message)
                .hasMessageContaining(dn.strip());
    }

    @Test
    void refusesEmptyAndOverlongNames() {
        assertThatThrownBy(() -> DistinguishedNames.parse(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
        // Bouncy Castle itself checks CN and C; the other upper bounds are ours.
        String longCn = "CN=" + "长".repeat(65) + ",C=CN";
        assertThatThrownBy(() -> DistinguishedNames.parse(longCn))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65")
                .hasMessageContaining("(64)");
        String longO = "CN=Root,O=" + "机".repeat(65) + ",C=CN";
        assertThatThrownBy(() -> DistinguishedNames.parse(longO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("O has 65 characters, more than the 64 allowed");
    }
}
