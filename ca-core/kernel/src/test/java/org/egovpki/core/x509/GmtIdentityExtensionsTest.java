package org.egovpki.core.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.egovpki.core.x509.CaCertificateFactoryTest.extensionsOf;
import static org.egovpki.core.x509.TestEndEntities.RESIDENT_ID;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Stream;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1PrintableString;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.egovpki.core.DomainException;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.profile.IdentityExtensionForm;
import org.egovpki.core.profile.KeyUsageKind;
import org.egovpki.core.profile.SubjectIdentity;
import org.egovpki.core.x509.TestCas.Ca;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GmtIdentityExtensionsTest {

    private static final String GMT_ARC = "1.2.156.10260.";

    /** Every identity value present. */
    private static final SubjectIdentity EVERYTHING = new SubjectIdentity(RESIDENT_ID, "E12345678", "军字第2001号",
            "SI-3301-0042", "330100000012345", "12345678-9", "913301001234567", "91330100MA27XL1234");

    @ParameterizedTest(name = "{0}")
    @EnumSource(IdentityExtensionForm.class)
    void noIdentityValuesMeanNoIdentityExtensions(IdentityExtensionForm form) {
        assertThat(GmtIdentityExtensions.extensions(form, SubjectIdentity.none())).isEmpty();
    }

    @Test
    void noneWritesNothingEvenWithValues() throws Exception {
        X509Certificate certificate = issue(IdentityExtensionForm.NONE, EVERYTHING);

        assertThat(identityOids(extensionsOf(certificate))).isEmpty();
    }

    @Test
    void gmt2012WritesTheIdentifyCodeChoiceExplicitlyTaggedAndTheFourPrintableStrings() throws Exception {
        X509Certificate certificate = issue(IdentityExtensionForm.GMT_2012, EVERYTHING);
        Extensions extensions = extensionsOf(certificate);

        assertThat(identityOids(extensions)).containsExactly("1.2.156.10260.4.1.1", "1.2.156.10260.4.1.2",
                "1.2.156.10260.4.1.3", "1.2.156.10260.4.1.4", "1.2.156.10260.4.1.5");
        Extension identifyCode = extensions.getExtension(GmtIdentityExtensions.IDENTIFY_CODE);
        assertThat(identifyCode.isCritical()).isFalse();
        byte[] value = identifyCode.getExtnValue().getOctets();
        assertThat(value[0] & 0xff).as("[0] constructed, i.e. EXPLICIT").isEqualTo(0xa0);
        assertThat(value[2]).as("inner PrintableString tag").isEqualTo((byte) BERTags.PRINTABLE_STRING);
        ASN1TaggedObject tagged = ASN1TaggedObject.getInstance(ASN1Primitive.fromByteArray(value));
        assertThat(tagged.getTagNo()).isEqualTo(GmtIdentityExtensions.TAG_RESIDENT_ID);
        assertThat(tagged.isExplicit()).isTrue();
        assertThat(ASN1PrintableString.getInstance(tagged.getExplicitBaseObject()).getString()).isEqualTo(RESIDENT_ID);
        assertPrintable(extensions, GmtIdentityExtensions.INSURANCE_NUMBER, "SI-3301-0042");
        assertPrintable(extensions, GmtIdentityExtensions.IC_REGISTRATION_NUMBER, "330100000012345");
        assertPrintable(extensions, GmtIdentityExtensions.ORGANIZATION_CODE, "12345678-9");
        assertPrintable(extensions, GmtIdentityExtensions.TAXATION_NUMBER, "913301001234567");
        assertThat(certificate.getCriticalExtensionOIDs()).containsExactly(Extension.keyUsage.getId());
    }

    @Test
    void identifyCodeCarriesTheMilitaryOfficerNumberAsUtf8StringUnderTagOne() throws Exception {
        SubjectIdentity officer = new SubjectIdentity(null, "E12345678", "军字第2001号", null, null, null, null, null);

        ASN1TaggedObject tagged = identifyCode(officer);

        assertThat(tagged.getTagNo()).isEqualTo(GmtIdentityExtensions.TAG_MILITARY_OFFICER);
        assertThat(tagged.isExplicit()).isTrue();
        assertThat(ASN1UTF8String.getInstance(tagged.getExplicitBaseObject()).getString()).isEqualTo("军字第2001号");
    }

    @Test
    void identifyCodeCarriesThePassportAsPrintableStringUnderTagTwo() throws Exception {
        SubjectIdentity traveller = new SubjectIdentity(null, "E12345678", null, null, null, null, null, null);

        ASN1TaggedObject tagged = identifyCode(traveller);

        assertThat(tagged.getTagNo()).isEqualTo(GmtIdentityExtensions.TAG_PASSPORT);
        assertThat(ASN1PrintableString.getInstance(tagged.getExplicitBaseObject()).getString()).isEqualTo("E12345678");
    }

    @Test
    void aPassportNumberThatIsNoPrintableStringIsRefusedFor2012ButWrittenAsUtf8For2023() throws Exception {
        SubjectIdentity traveller = new SubjectIdentity(null, "Ä1234567", null, null, null, null, null, null);

        assertThatThrownBy(() -> GmtIdentityExtensions.extensions(IdentityExtensionForm.GMT_2012, traveller))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.field()).isEqualTo("identity.passportNumber"));
        List<Extension> extensions = GmtIdentityExtensions.extensions(IdentityExtensionForm.GMT_2023, traveller);
        assertThat(extensions).extracting(Extension::getExtnId).containsExactly(GmtIdentityExtensions.PASSPORT_2023);
        assertThat(ASN1UTF8String.getInstance(extensions.get(0).getParsedValue()).getString()).isEqualTo("Ä1234567");
    }

    @Test
    void gmt2023WritesResidentIdPassportSocialInsuranceAndUscc() throws Exception {
        Extensions extensions = extensionsOf(issue(IdentityExtensionForm.GMT_2023, EVERYTHING));

        assertThat(identityOids(extensions)).containsExactly("1.2.156.10260.4.1.1.1", "1.2.156.10260.4.1.1.2",
                "1.2.156.10260.4.1.2", "1.2.156.10260.4.4");
        assertPrintable(extensions, GmtIdentityExtensions.RESIDENT_ID_2023, RESIDENT_ID);
        Extension passport = extensions.getExtension(GmtIdentityExtensions.PASSPORT_2023);
        assertThat(passport.isCritical()).isFalse();
        assertThat(ASN1UTF8String.getInstance(passport.getParsedValue()).getString()).isEqualTo("E12345678");
        assertPrintable(extensions, GmtIdentityExtensions.INSURANCE_NUMBER, "SI-3301-0042");
        assertPrintable(extensions, GmtIdentityExtensions.USCC, "91330100MA27XL1234");
    }

    @Test
    void bothWritesBothEditionsWithTheSharedOidOnce() throws Exception {
        X509Certificate certificate = issue(IdentityExtensionForm.BOTH, EVERYTHING);
        Extensions extensions = extensionsOf(certificate);

        List<String> oids = identityOids(extensions);
        assertThat(oids).doesNotHaveDuplicates().containsExactly("1.2.156.10260.4.1.1", "1.2.156.10260.4.1.2",
                "1.2.156.10260.4.1.3", "1.2.156.10260.4.1.4", "1.2.156.10260.4.1.5", "1.2.156.10260.4.1.1.1",
                "1.2.156.10260.4.1.1.2", "1.2.156.10260.4.4");
        assertThat(certificate.getNonCriticalExtensionOIDs()).containsAll(oids);
    }

    @Test
    void theResidentIdWinsTheIdentifyCodeChoice() throws Exception {
        ASN1TaggedObject tagged = identifyCode(EVERYTHING);

        assertThat(tagged.getTagNo()).isEqualTo(GmtIdentityExtensions.TAG_RESIDENT_ID);
    }

    @Test
    void valuesWithoutAnOidInTheChosenEditionAreLeftOut() {
        SubjectIdentity organisation = new SubjectIdentity(null, null, null, null, "330100000012345", "12345678-9",
                null, "91330100MA27XL1234");

        assertThat(GmtIdentityExtensions.extensions(IdentityExtensionForm.GMT_2012, organisation))
                .extracting(e -> e.getExtnId().getId())
                .containsExactly("1.2.156.10260.4.1.3", "1.2.156.10260.4.1.4");
        assertThat(GmtIdentityExtensions.extensions(IdentityExtensionForm.GMT_2023, organisation))
                .extracting(e -> e.getExtnId().getId())
                .containsExactly("1.2.156.10260.4.4");
    }

    private static X509Certificate issue(IdentityExtensionForm form, SubjectIdentity identity) throws Exception {
        Ca issuing = TestCas.chain(KeyAlgorithm.SM2).issuing();
        return TestEndEntities.issue(TestEndEntities.profile().identityExtensions(form).build(),
                TestEndEntities.request(KeyAlgorithm.SM2, KeyUsageKind.SIGNING, List.of(), List.of(), identity),
                issuing);
    }

    private static ASN1TaggedObject identifyCode(SubjectIdentity identity) throws Exception {
        Extension extension = GmtIdentityExtensions.extensions(IdentityExtensionForm.GMT_2012, identity).stream()
                .filter(e -> e.getExtnId().equals(GmtIdentityExtensions.IDENTIFY_CODE))
                .findFirst().orElseThrow();
        return ASN1TaggedObject.getInstance(ASN1Primitive.fromByteArray(extension.getExtnValue().getOctets()));
    }

    private static List<String> identityOids(Extensions extensions) {
        return Stream.of(extensions.getExtensionOIDs())
                .map(ASN1ObjectIdentifier::getId)
                .filter(oid -> oid.startsWith(GMT_ARC))
                .toList();
    }

    private static void assertPrintable(Extensions extensions, ASN1ObjectIdentifier oid, String expected) {
        Extension extension = extensions.getExtension(oid);
        assertThat(extension).as(oid.getId()).isNotNull();
        assertThat(extension.isCritical()).isFalse();
        ASN1Encodable value = extension.getParsedValue();
        assertThat(value).as(oid.getId()).isInstanceOf(ASN1PrintableString.class);
        assertThat(((ASN1PrintableString) value).getString()).isEqualTo(expected);
    }
}
