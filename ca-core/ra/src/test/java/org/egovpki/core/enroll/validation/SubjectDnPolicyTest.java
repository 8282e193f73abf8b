package org.egovpki.core.enroll.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.egovpki.core.enroll.validation.Refusals.assertRefused;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1PrintableString;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.egovpki.core.enroll.validation.RegistrationData;
import org.egovpki.core.profile.CertificateType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubjectDnPolicyTest {

    private final SubjectDnPolicy policy = new SubjectDnPolicy();
    private final RegistrationData person = Registrations.person().with(r -> r.realName = "Zhang San").build();

    @Test
    void anAllowedSubjectIsReEncodedCanonically() throws Exception {
        // Out of order, and with string types a client might pick: C as UTF8String, O as PrintableString,
        // E as UTF8String, CN as BMPString.
        X500Name requested = new X500Name(new RDN[] {
                rdn(BCStyle.CN, new DERBMPString("Zhang San")),
                rdn(BCStyle.OU, new DERUTF8String("信息中心")),
                rdn(BCStyle.E, new DERUTF8String("zhangsan@example.gov.cn")),
                rdn(BCStyle.O, new DERPrintableString("Test")),
                rdn(BCStyle.OU, new DERUTF8String("Operations")),
                rdn(BCStyle.L, new DERUTF8String("杭州")),
                rdn(BCStyle.C, new DERUTF8String("CN")),
                rdn(BCStyle.ST, new DERUTF8String("浙江"))});

        X500Name checked = X500Name.getInstance(policy.check(requested, CertificateType.PERSONAL, person).getEncoded());

        RDN[] rdns = checked.getRDNs();
        assertThat(rdns).extracting(rdn -> rdn.getFirst().getType()).containsExactly(
                BCStyle.C, BCStyle.ST, BCStyle.L, BCStyle.O, BCStyle.OU, BCStyle.OU, BCStyle.CN, BCStyle.EmailAddress);
        assertThat(rdns[0].getFirst().getValue()).isInstanceOf(ASN1PrintableString.class);
        for (int i = 1; i < 7; i++) {
            assertThat(rdns[i].getFirst().getValue()).isInstanceOf(ASN1UTF8String.class);
        }
        assertThat(rdns[7].getFirst().getValue()).isInstanceOf(ASN1IA5String.class);
        assertThat(SubjectDnPolicy.canonicalString(checked))
                .isEqualTo("E=zhangsan@example.gov.cn,CN=Zhang San,OU=Operations,OU=信息中心,O=Test,L=杭州,ST=浙江,C=CN");
    }

    @Test
    void parseReadsTheSeedsSAsStAndPutsCFirst() {
        X500Name parsed = SubjectDnPolicy.parse("cn=Zhang San, o=Test, S=Zhejiang, c=CN");

        assertThat(parsed.getRDNs()).extracting(rdn -> rdn.getFirst().getType())
                .containsExactly(BCStyle.C, BCStyle.ST, BCStyle.O, BCStyle.CN);
    }

    @Test
    void twoSpellingsOfTheSameDnCanonicaliseEqually() {
        X500Name seedSpelling = policy.check(SubjectDnPolicy.parse("CN=Zhang San,O=Test  Org,S=Zhejiang,C=CN"),
                CertificateType.PERSONAL, person);
        X500Name otherSpelling = new X500Name(new RDN[] {
                rdn(BCStyle.CN, new DERBMPString("Zhang San")),
                rdn(BCStyle.O, new DERPrintableString("Test Org")),
                rdn(BCStyle.ST, new DERUTF8String("Zhejiang")),
                rdn(BCStyle.C, new DERUTF8String("CN"))});

        String canonical = SubjectDnPolicy.canonicalString(seedSpelling);

        assertThat(canonical).isEqualTo("CN=Zhang San,O=Test Org,ST=Zhejiang,C=CN");
        assertThat(SubjectDnPolicy.canonicalString(policy.check(otherSpelling, CertificateType.PERSONAL, person)))
                .isEqualTo(canonical);
        // Whitespace runs collapse even in names that were not re-encoded; case is preserved.
        assertThat(SubjectDnPolicy.canonicalString(SubjectDnPolicy.parse("CN=Zhang San,O=Test \u3000 Org,ST=Zhejiang,C=CN")))
                .isEqualTo(canonical);
        assertThat(SubjectDnPolicy.canonicalString(SubjectDnPolicy.parse("CN=Zhang San,O=test org,ST=Zhejiang,C=CN")))
                .isNotEqualTo(canonical);
    }

    @Test
    void canonicalStringsEscapeRfc4514SpecialCharacters() {
        X500Name name = policy.check(SubjectDnPolicy.parse("CN=Zhang San,O=Test\\, Inc. \\+ Partners,C=CN"),
                CertificateType.PERSONAL, person);

        assertThat(SubjectDnPolicy.canonicalString(name)).isEqualTo("CN=Zhang San,O=Test\\, Inc. \\+ Partners,C=CN");
    }

    @Test
    void valuesAreComparedAndStoredInNfc() {
        RegistrationData zoe = Registrations.person().with(r -> r.realName = " Zo\u00e9 Li ").build();
        X500Name decomposed = new X500Name(new RDN[] {rdn(BCStyle.CN, new DERUTF8String("Zoe\u0301 Li"))});

        X500Name checked = policy.check(decomposed, CertificateType.PERSONAL, zoe);

        assertThat(checked.getRDNs()[0].getFirst().getValue().toString()).isEqualTo("Zo\u00e9 Li");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "SERIALNUMBER, 2.5.4.5, subject.SERIALNUMBER",
            "UID, 0.9.2342.19200300.100.1.1, subject.UID",
            "DC, 0.9.2342.19200300.100.1.25, subject.DC",
            "T (title), 2.5.4.12, subject.T",
            "an unknown OID, 1.2.3.4, subject.1.2.3.4"})
    void refusesAttributesOutsideTheNamingRules(String description, String oid, String field) {
        X500Name subject = new X500Name(new RDN[] {
                rdn(BCStyle.C, new DERPrintableString("CN")),
                rdn(new ASN1ObjectIdentifier(oid), new DERUTF8String("x123")),
                rdn(BCStyle.CN, new DERUTF8String("Zhang San"))});

        assertRefused(() -> policy.check(subject, CertificateType.PERSONAL, person), field,
                "(" + oid + ") is not allowed in a subscriber's subject; use only C, ST, L, O, OU, CN, E");
    }

    @Test
    void refusesTwoCnsNoCnAndRepeatedSingleAttributes() {
        assertRefused(() -> check("CN=Zhang San,CN=Li Si,C=CN", CertificateType.PERSONAL, person), "subject.CN",
                "2 CN attributes; give exactly one");
        assertRefused(() -> check("O=Test,C=CN", CertificateType.PERSONAL, person), "subject.CN", "no CN");
        assertRefused(() -> check("CN=Zhang San,O=A,O=B,C=CN", CertificateType.PERSONAL, person), "subject.O",
                "2 O attributes; give exactly one or none");
        assertThat(SubjectDnPolicy.canonicalString(check("CN=Zhang San,OU=A,OU=B,C=CN", CertificateType.PERSONAL, person)))
                .isEqualTo("CN=Zhang San,OU=A,OU=B,C=CN");
    }

    @Test
    void refusesMultiValuedRdns() {
        assertRefused(() -> check("CN=Zhang San+OU=IT,C=CN", CertificateType.PERSONAL, person), "subject",
                "multi-valued RDN");
    }

    @Test
    void personalCnMustBeTheRegisteredRealName() {
        assertRefused(() -> check("CN=Li Si,C=CN", CertificateType.PERSONAL, person), "subject.CN",
                "CN \"Li Si\" is not the registered real name \"Zhang San\"");
        RegistrationData noName = Registrations.person().with(r -> r.realName = null).build();
        assertRefused(() -> check("CN=Li Si,C=CN", CertificateType.PERSONAL, noName), "registration.realName",
                "no real name");
        RegistrationData padded = Registrations.person().with(r -> r.realName = "  Zhang San ").build();
        assertThat(check("CN=Zhang San,C=CN", CertificateType.PERSONAL, padded)).isNotNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "ID number in the CN      | CN=Zhang San 11010519491231002X,C=CN   | subject.CN | is not the registered real name",
            "lower-case x             | CN=Zhang San 11010519491231002x,C=CN   | subject.CN | is not the registered real name",
            "ID number in the e-mail  | CN=Zhang San,E=11010519491231002X@x,C=CN | subject.E | is not an acceptable e-mail address",
            "phone number in the CN   | CN=Zhang San 13912345678,C=CN          | subject.CN | is not the registered real name"})
    void aRefusalNeverEchoesAWholeNumberFromTheSubject(String description, String subject, String field,
                                                       String fragment) {
        assertRefused(() -> check(subject, CertificateType.PERSONAL, person), field, fragment);
        assertThatThrownBy(() -> check(subject, CertificateType.PERSONAL, person))
                .message().doesNotContainIgnoringCase("11010519491231002X").doesNotContain("1101051949")
                .doesNotContain("13912345678").doesNotContain("912345");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "ID number in an OU          | CN=Zhang San,OU=11010519491231002X,C=CN        | subject.OU",
            "lower-case x, separators    | CN=Zhang San,OU=110105-19491231-002x,C=CN      | subject.OU",
            "15-digit form in L          | CN=Zhang San,L=110105491231002,C=CN            | subject.L",
            "ID number in the e-mail     | CN=Zhang San,E=11010519491231002X@mail.cn,C=CN | subject.E",
            "phone without +86 in an O   | CN=Zhang San,O=571 8888 0000,C=CN              | subject.O"})
    void aSubjectMayNotCarryAnIdOrPhoneNumberOfTheRegistration(String description, String subject, String field) {
        // The subject is published (certificate, directory entry name of the X.500 mirror, lookup page) and
        // written to the audit trail, the log and every sync target, masked or not.
        assertRefused(() -> check(subject, CertificateType.PERSONAL, person), field,
                "contains an ID or phone number of the registration");
        assertThatThrownBy(() -> check(subject, CertificateType.PERSONAL, person))
                .message().doesNotContainIgnoringCase("1949123").doesNotContain("8888 0000");
    }

    @Test
    void anOrganisationsSubjectMayNotCarryItsAgentsIdOrPhoneNumber() {
        RegistrationData organization = Registrations.organization().build();
        String subject = "CN=福州市示例科技有限公司,OU=" + organization.agentIdNumber() + ",O=福州市示例科技有限公司,C=CN";

        assertRefused(() -> check(subject, CertificateType.ORGANIZATION, organization), "subject.OU",
                "contains an ID or phone number of the registration");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ORGANIZATION", "CODE_SIGNING"})
    void organisationCnMustBeTheRegisteredLegalName(CertificateType type) {
        RegistrationData organization = Registrations.organization().build();

        assertThat(check("CN=福州市示例科技有限公司,O=福州市示例科技有限公司,C=CN", type, organization)).isNotNull();
        assertRefused(() -> check("CN=福州示例科技,C=CN", type, organization), "subject.CN",
                "is not the registered legal name \"福州市示例科技有限公司\"");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "registered host name, www.example.gov.cn",
            "registered host name in other case, WWW.Example.GOV.cn",
            "registered IPv4, 10.1.2.3",
            "registered IPv6 spelled differently, 2001:DB8:0:0:0:0:0:1",
            "device identifier, SN:4711-A_07",
            "single-label device name, gateway01"})
    void deviceCnsThatAreAccepted(String description, String cn) {
        RegistrationData device = Registrations.device().build();

        assertThat(SubjectDnPolicy.canonicalString(check("CN=" + cn + ",O=Test,C=CN",
                CertificateType.DEVICE, device))).startsWith("CN=" + cn + ",");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "host name not registered  | mail.example.gov.cn | host name that is not among the device's registered host names",
            "IP not registered         | 10.1.2.4            | IP address that is not among the device's registered IP addresses",
            "wildcard                  | *.example.gov.cn    | wildcard certificates are not issued",
            "broken IPv4               | 10.1.2.256          | looks like an IPv4 address but is not one",
            "IPv4 with leading zero    | 10.01.2.3           | looks like an IPv4 address",
            "spaces                    | my device           | must be a DNS name, an IP address or a device identifier",
            "leading hyphen            | -device             | device identifier"})
    void deviceCnsThatAreRefused(String description, String cn, String fragment) {
        RegistrationData device = Registrations.device().build();
        X500Name subject = new X500Name(new RDN[] {rdn(BCStyle.CN, new DERUTF8String(cn))});

        assertRefused(() -> policy.check(subject, CertificateType.DEVICE, device), "subject.CN", fragment);
    }

    @Test
    void refusesOverLongValues() {
        String o64 = "O".repeat(64);
        String chinese64 = "政".repeat(64);

        assertThat(check("CN=Zhang San,O=" + o64 + ",C=CN", CertificateType.PERSONAL, person)).isNotNull();
        assertThat(check("CN=Zhang San,O=" + chinese64 + ",C=CN", CertificateType.PERSONAL, person)).isNotNull();
        assertRefused(() -> check("CN=Zhang San,O=" + o64 + "x,C=CN", CertificateType.PERSONAL, person), "subject.O",
                "O has 65 characters, more than the 64 allowed");
        assertRefused(() -> check("CN=Zhang San,L=" + "L".repeat(129) + ",C=CN", CertificateType.PERSONAL, person),
                "subject.L", "more than the 128 allowed");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "non-ASCII e-mail         | 张三@example.cn             | non-ASCII",
            "no @                     | zhangsan.example.cn         | exactly one @",
            "two @                    | a@b@example.cn              | exactly one @",
            "no dot in the domain     | zhangsan@localhost          | has no dot",
            "empty local part         | @example.cn                 | the part before the @"})
    void refusesBadEmailAddresses(String description, String email, String fragment) {
        X500Name subject = new X500Name(new RDN[] {
                rdn(BCStyle.CN, new DERUTF8String("Zhang San")), rdn(BCStyle.E, new DERUTF8String(email))});

        assertRefused(() -> policy.check(subject, CertificateType.PERSONAL, person), "subject.E", fragment);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "lower-case country        | C   | cn               | not an ISO 3166 two-letter upper-case country code",
            "three-letter country      | C   | CHN              | C has 3 characters",
            "leading space             | O   | ' Test'          | leading or trailing blanks",
            "trailing ideographic space| O   | 'Test\u3000'     | leading or trailing blanks",
            "empty                     | O   | ''               | O is empty",
            "blank                     | OU  | '   '            | OU is empty",
            "bell character            | O   | 'Te\u0007st'     | control or format character U+0007",
            "zero-width space          | L   | 'Hang\u200Bzhou' | control or format character U+200B",
            "right-to-left override    | ST  | 'Zhe\u202Ejiang' | control or format character U+202E"})
    void refusesUncleanValues(String description, String attribute, String value, String fragment) {
        ASN1ObjectIdentifier type = BCStyle.INSTANCE.attrNameToOID(attribute);
        ASN1Encodable encoded = type.equals(BCStyle.C) ? new DERPrintableString(value) : new DERUTF8String(value);
        X500Name subject = new X500Name(new RDN[] {rdn(type, encoded), rdn(BCStyle.CN, new DERUTF8String("Zhang San"))});

        assertRefused(() -> policy.check(subject, CertificateType.PERSONAL, person), "subject." + attribute, fragment);
    }

    @Test
    void refusesValuesThatAreNotText() {
        X500Name subject = new X500Name(new RDN[] {rdn(BCStyle.CN, new DERIA5String("Zhang San")),
                rdn(BCStyle.O, new org.bouncycastle.asn1.DERBitString(new byte[] {1}))});

        assertRefused(() -> policy.check(subject, CertificateType.PERSONAL, person), "subject.O", "is not text");
    }

    @Test
    void parseRefusesUnreadableStrings() {
        assertRefused(() -> SubjectDnPolicy.parse("this is not a DN"), "subject", "cannot read the subject");
        assertRefused(() -> SubjectDnPolicy.parse(" "), "subject", "the subject is empty");
    }

    @Test
    void aHexValueIsRefusedInOurWordsNotBouncyCastles() {
        assertRefused(() -> SubjectDnPolicy.parse("CN=#041234"), "subject", "#hex");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SubjectDnPolicy.parse("CN=#041234"))
                .message().doesNotContain("recode").doesNotContain("oid");
    }

    private X500Name check(String dn, CertificateType type, RegistrationData registration) {
        return policy.check(SubjectDnPolicy.parse(dn), type, registration);
    }

    private static RDN rdn(ASN1ObjectIdentifier type, ASN1Encodable value) {
        return new RDN(new AttributeTypeAndValue(type, value));
    }

    // --- bounds and rare characters (issue 11 #3, #9) ---

    @Test
    void aSubjectWithTwoThousandOusIsRefusedBeforeItsValuesAreRead() {
        RDN[] rdns = new RDN[2002];
        rdns[0] = rdn(BCStyle.C, new DERPrintableString("CN"));
        for (int i = 1; i <= 2000; i++) {
            rdns[i] = rdn(BCStyle.OU, new DERUTF8String("unit " + i));
        }
        rdns[2001] = rdn(BCStyle.CN, new DERUTF8String("Zhang San"));

        assertRefused(() -> policy.check(new X500Name(rdns), CertificateType.PERSONAL, person), "subject",
                "2002 RDNs, more than the " + SubjectDnPolicy.MAX_RDNS + " allowed");
    }

    @Test
    void moreOusThanAllowedAreRefusedAndTheMaximumIsAccepted() {
        StringBuilder dn = new StringBuilder("CN=Zhang San");
        for (int i = 1; i <= SubjectDnPolicy.MAX_OU; i++) {
            dn.append(",OU=unit ").append(i);
        }
        dn.append(",C=CN");
        assertThat(policy.check(SubjectDnPolicy.parse(dn.toString()), CertificateType.PERSONAL, person).getRDNs())
                .hasSize(SubjectDnPolicy.MAX_OU + 2);

        String tooMany = dn.toString().replace(",C=CN", ",OU=one more,C=CN");
        assertRefused(() -> policy.check(SubjectDnPolicy.parse(tooMany), CertificateType.PERSONAL, person),
                "subject.OU", "more than the " + SubjectDnPolicy.MAX_OU + " allowed");
    }

    @Test
    void aNameWithACjkExtensionBCharacterIsAcceptedAsIs() {
        RegistrationData rare = Registrations.person().with(r -> r.realName = "王\uD840\uDC00").build();

        X500Name checked = policy.check(SubjectDnPolicy.parse("CN=王\uD840\uDC00,O=Test,C=CN"),
                CertificateType.PERSONAL, rare);

        assertThat(((ASN1UTF8String) checked.getRDNs(BCStyle.CN)[0].getFirst().getValue()).getString())
                .isEqualTo("王\uD840\uDC00");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"BMP private use, \uE000", "plane 15 private use, \uDB80\uDC00", "non-character, \uFFFF",
            "replacement character, \uFFFD"})
    void aCharacterTheDirectoryCannotMatchIsRefused(String name, String character) {
        RegistrationData odd = Registrations.person().with(r -> r.realName = "Wang" + character).build();

        assertRefused(() -> policy.check(SubjectDnPolicy.parse("CN=Wang" + character + ",C=CN"),
                CertificateType.PERSONAL, odd), "subject.CN", "names cannot hold");
    }
}
