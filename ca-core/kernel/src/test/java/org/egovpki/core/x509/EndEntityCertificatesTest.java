package org.egovpki.core.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.egovpki.core.x509.CaCertificateFactoryTest.extensionsOf;
import static org.egovpki.core.x509.CaCertificateFactoryTest.sha1OfKeyBits;
import static org.egovpki.core.x509.TestEndEntities.CA_ISSUERS;
import static org.egovpki.core.x509.TestEndEntities.CLIENT_AUTH;
import static org.egovpki.core.x509.TestEndEntities.CPS_URI;
import static org.egovpki.core.x509.TestEndEntities.CRL_HTTP;
import static org.egovpki.core.x509.TestEndEntities.CRL_LDAP;
import static org.egovpki.core.x509.TestEndEntities.OCSP;
import static org.egovpki.core.x509.TestEndEntities.POLICY_OID;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.asn1.x509.PolicyQualifierId;
import org.bouncycastle.asn1.x509.PolicyQualifierInfo;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.egovpki.core.DomainException;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.CaSigner;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.profile.CertificateProfile;
import org.egovpki.core.profile.CertificateType;
import org.egovpki.core.profile.KeyUsageKind;
import org.egovpki.core.x509.TestCas.Ca;
import org.egovpki.core.x509.TestCas.Chain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EndEntityCertificatesTest {

    /** keyUsage bits as X509Certificate.getKeyUsage() reports them (9 named bits). */
    private static final boolean[] SIGNING_BITS = {true, true, false, false, false, false, false, false, false};
    private static final boolean[] ENCRYPTION_BITS = {false, false, true, true, true, false, false, false, false};

    static Stream<Arguments> issuerAndKind() {
        return Stream.of(KeyAlgorithm.values())
                .flatMap(algorithm -> Stream.of(KeyUsageKind.values()).map(kind -> Arguments.of(algorithm, kind)));
    }

    @ParameterizedTest(name = "{0} issuer, {1} certificate")
    @MethodSource("issuerAndKind")
    void certificateFollowsTheEndEntityProfile(KeyAlgorithm algorithm, KeyUsageKind kind) throws Exception {
        Ca issuing = TestCas.chain(algorithm).issuing();
        CertificateProfile profile = TestEndEntities.profile().extendedKeyUsages(List.of(CLIENT_AUTH)).build();
        EndEntityRequest request = TestEndEntities.request(algorithm, kind);
        BigInteger serial = TestEndEntities.serial();

        TBSCertificate tbs = TestEndEntities.certificates().prepare(profile, request, TestEndEntities.issuer(issuing),
                serial, EndEntityCertificates.signatureAlgorithm(issuing.signer()));
        X509Certificate certificate = TestEndEntities.certificates()
                .sign(EndEntityCertificates.parseTbs(tbs.getEncoded()), issuing.signer());

        assertThat(certificate.getTBSCertificate()).isEqualTo(tbs.getEncoded(ASN1Encoding.DER));
        certificate.verify(issuing.certificate().getPublicKey(), BouncyCastle.PROVIDER);
        assertThat(certificate.getVersion()).isEqualTo(3);
        assertThat(certificate.getSerialNumber()).isEqualTo(serial);
        assertThat(certificate.getIssuerX500Principal().getEncoded())
                .isEqualTo(issuing.certificate().getSubjectX500Principal().getEncoded());
        assertThat(certificate.getSigAlgOID()).isEqualTo(TestCas.signatureOid(algorithm));
        // Same AlgorithmIdentifier bytes as CaCertificateFactory wrote for the same key type.
        assertThat(signatureAlgorithmOf(certificate)).isEqualTo(signatureAlgorithmOf(issuing.certificate()));
        assertThat(certificate.getNotBefore().toInstant()).isEqualTo(Instant.parse("2025-06-01T08:00:00Z"));
        assertThat(certificate.getNotAfter().toInstant()).isEqualTo(Instant.parse("2027-06-01T08:00:00Z"));

        assertThat(certificate.getCriticalExtensionOIDs()).containsExactly(Extension.keyUsage.getId());
        assertThat(certificate.getKeyUsage()).isEqualTo(kind == KeyUsageKind.SIGNING ? SIGNING_BITS : ENCRYPTION_BITS);
        Extensions extensions = extensionsOf(certificate);
        assertThat(extensions.getExtension(Extension.basicConstraints).isCritical()).isFalse();
        assertThat(BasicConstraints.fromExtensions(extensions).isCA()).isFalse();
        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
        assertThat(SubjectKeyIdentifier.fromExtensions(extensions).getKeyIdentifier())
                .isEqualTo(sha1OfKeyBits(certificate.getPublicKey()));
        assertThat(AuthorityKeyIdentifier.fromExtensions(extensions).getKeyIdentifierOctets())
                .isEqualTo(SubjectKeyIdentifier.fromExtensions(extensionsOf(issuing.certificate())).getKeyIdentifier());
        assertThat(uris(crlDistributionPoint(extensions).getName())).containsExactly(CRL_HTTP, CRL_LDAP);
        assertThat(accessDescriptions(extensions)).containsExactly(
                AccessDescription.id_ad_ocsp.getId() + " " + OCSP,
                AccessDescription.id_ad_caIssuers.getId() + " " + CA_ISSUERS);
        assertPolicy(extensions);
        assertThat(ExtendedKeyUsage.fromExtensions(extensions).getUsages())
                .containsExactly(KeyPurposeId.id_kp_clientAuth);
        assertThat(extensions.getExtension(Extension.subjectAlternativeName)).isNull();
    }

    @ParameterizedTest(name = "{0} key under an SM2 issuer")
    @EnumSource(value = KeyAlgorithm.class, names = {"RSA", "EC"})
    void anySubjectKeyAlgorithmIsCertifiedWithTheIssuersSignatureAlgorithm(KeyAlgorithm subjectKey) throws Exception {
        Ca issuing = TestCas.chain(KeyAlgorithm.SM2).issuing();

        X509Certificate certificate = TestEndEntities.issue(TestEndEntities.profile().build(),
                TestEndEntities.request(subjectKey, KeyUsageKind.SIGNING), issuing);

        assertThat(KeyAlgorithm.of(certificate.getPublicKey())).isEqualTo(subjectKey);
        assertThat(certificate.getSigAlgOID()).isEqualTo(TestCas.signatureOid(KeyAlgorithm.SM2));
        certificate.verify(issuing.certificate().getPublicKey(), BouncyCastle.PROVIDER);
    }

    @Test
    void noExtendedKeyUsageWhenTheProfileListsNone() throws Exception {
        Ca issuing = TestCas.chain(KeyAlgorithm.EC).issuing();

        X509Certificate certificate = TestEndEntities.issue(TestEndEntities.profile().build(),
                TestEndEntities.request(KeyAlgorithm.EC, KeyUsageKind.SIGNING), issuing);

        assertThat(extensionsOf(certificate).getExtension(Extension.extendedKeyUsage)).isNull();
    }

    @Test
    void subjectAltNamesCarryDnsNamesAndRawIpOctets() throws Exception {
        Ca issuing = TestCas.chain(KeyAlgorithm.SM2).issuing();
        CertificateProfile profile = CertificateProfile.builder("server", CertificateType.DEVICE)
                .validity(Period.ofYears(1)).policy(POLICY_OID, CPS_URI).allowSubjectAltNames(true).build();
        EndEntityRequest request = TestEndEntities.request(KeyAlgorithm.SM2, KeyUsageKind.SIGNING,
                List.of("www.egov.test", "*.svc.egov.test"), List.of("192.0.2.10", "2001:db8::1"), null);

        X509Certificate certificate = TestEndEntities.issue(profile, request, issuing);

        Extension san = extensionsOf(certificate).getExtension(Extension.subjectAlternativeName);
        assertThat(san.isCritical()).isFalse();
        GeneralName[] names = GeneralNames.getInstance(san.getParsedValue()).getNames();
        assertThat(names).hasSize(4);
        assertThat(names[0].getTagNo()).isEqualTo(GeneralName.dNSName);
        assertThat(ASN1IA5String.getInstance(names[0].getName()).getString()).isEqualTo("www.egov.test");
        assertThat(ASN1IA5String.getInstance(names[1].getName()).getString()).isEqualTo("*.svc.egov.test");
        assertThat(names[2].getTagNo()).isEqualTo(GeneralName.iPAddress);
        assertThat(ASN1OctetString.getInstance(names[2].getName()).getOctets()).containsExactly(192, 0, 2, 10);
        assertThat(names[3].getTagNo()).isEqualTo(GeneralName.iPAddress);
        assertThat(ASN1OctetString.getInstance(names[3].getName()).getOctets())
                .containsExactly(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
    }

    @Test
    void subjectAltNamesOnAProfileWithoutThemAreRefused() {
        Ca issuing = TestCas.chain(KeyAlgorithm.SM2).issuing();
        EndEntityRequest request = TestEndEntities.request(KeyAlgorithm.SM2, KeyUsageKind.SIGNING,
                List.of("www.egov.test"), List.of(), null);

        assertThatThrownBy(() -> TestEndEntities.prepare(TestEndEntities.profile().build(), request, issuing))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DomainException.Kind.BAD_REQUEST);
                    assertThat(e.field()).isEqualTo("registration.hostNames");
                })
                .hasMessageContaining("personal");
    }

    @Test
    void ipAddressesOnAProfileWithoutSubjectAltNamesAreRefused() {
        Ca issuing = TestCas.chain(KeyAlgorithm.SM2).issuing();
        EndEntityRequest request = TestEndEntities.request(KeyAlgorithm.SM2, KeyUsageKind.SIGNING,
                List.of(), List.of("192.0.2.1"), null);

        assertThatThrownBy(() -> TestEndEntities.prepare(TestEndEntities.profile().build(), request, issuing))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.field()).isEqualTo("registration.ipAddresses"));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"010.0.0.1", "192.0.2.256", "192.0.2", "192.0.2.1/24", "::ffff:192.0.2.1",
        "fe80::1%eth0", "[2001:db8::1]", "2001:db8::1/64", "localhost", "2001:db8:::1", " 192.0.2.1", ""})
    void ipAddressesAreParsedStrictly(String text) {
        assertThatThrownBy(() -> SubjectAltNames.ipAddress(text))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.field()).isEqualTo("registration.ipAddresses"));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"0.0.0.0", "255.255.255.255", "10.1.20.3"})
    void ipv4LiteralsBecomeFourOctets(String text) {
        assertThat(SubjectAltNames.ipAddress(text)).hasSize(4);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"::1", "2001:db8::1", "2001:0db8:0000:0000:0000:0000:0000:0001", "::192.0.2.1"})
    void ipv6LiteralsBecomeSixteenOctets(String text) {
        assertThat(SubjectAltNames.ipAddress(text)).hasSize(16);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"bad name.test", "-lead.test", "trail-.test", "a..b", "*.test", "www.*.test",
        "例子.test", "x.test.", ""})
    void malformedHostNamesAreRefused(String name) {
        assertThatThrownBy(() -> SubjectAltNames.of(List.of(name), List.of()))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.field()).isEqualTo("registration.hostNames"));
    }

    @Test
    void repeatedNamesAreRefused() {
        assertThatThrownBy(() -> SubjectAltNames.of(List.of("dup.test", "DUP.test"), List.of()))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.field()).isEqualTo("registration.hostNames"));
        assertThatThrownBy(() -> SubjectAltNames.of(List.of(), List.of("2001:db8::1", "2001:0db8::0001")))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.field()).isEqualTo("registration.ipAddresses"));
    }

    @Test
    void profileOfFiveYearsThreeMonthsIsIssuedInFull() throws Exception {
        Ca issuing = TestCas.chain(KeyAlgorithm.EC).issuing();
        CertificateProfile profile = TestEndEntities.profile().validity(Period.of(5, 3, 0)).build();

        X509Certificate certificate = TestEndEntities.issue(profile,
                TestEndEntities.request(KeyAlgorithm.EC, KeyUsageKind.SIGNING), issuing);

        assertThat(certificate.getNotAfter().toInstant()).isEqualTo(Instant.parse("2030-09-01T08:00:00Z"));
    }

    @Test
    void notAfterIsClampedToTheIssuersNotAfter() throws Exception {
        Ca root = TestCas.root(KeyAlgorithm.SM2);
        Ca shortLived = shortLivedIssuing(root, Period.ofYears(1));
        CertificateProfile profile = TestEndEntities.profile().validity(Period.ofYears(3)).build();

        X509Certificate certificate = TestEndEntities.issue(profile,
                TestEndEntities.request(KeyAlgorithm.SM2, KeyUsageKind.ENCRYPTION), shortLived);

        assertThat(certificate.getNotAfter()).isEqualTo(shortLived.certificate().getNotAfter());
        assertThat(certificate.getNotAfter().toInstant()).isEqualTo(Instant.parse("2026-06-01T08:00:00Z"));
    }

    @Test
    void notAfterOverrideIsKept() throws Exception {
        Ca issuing = TestCas.chain(KeyAlgorithm.RSA).issuing();
        Instant oldNotAfter = Instant.parse("2026-02-03T04:05:06Z");
        EndEntityRequest request = new EndEntityRequest(TestEndEntities.subject(),
                TestEndEntities.freshKey(KeyAlgorithm.RSA), KeyUsageKind.SIGNING, null, null, null, oldNotAfter);

        X509Certificate certificate = TestEndEntities.issue(TestEndEntities.profile().build(), request, issuing);

        assertThat(certificate.getNotAfter().toInstant()).isEqualTo(oldNotAfter);
    }

    @Test
    void notAfterOverrideIsAlsoClampedToTheIssuer() throws Exception {
        Ca shortLived = shortLivedIssuing(TestCas.root(KeyAlgorithm.EC), Period.ofMonths(6));
        EndEntityRequest request = new EndEntityRequest(TestEndEntities.subject(),
                TestEndEntities.freshKey(KeyAlgorithm.EC), KeyUsageKind.SIGNING, null, null, null,
                Instant.parse("2027-01-01T00:00:00Z"));

        X509Certificate certificate = TestEndEntities.issue(TestEndEntities.profile().build(), request, shortLived);

        assertThat(certificate.getNotAfter()).isEqualTo(shortLived.certificate().getNotAfter());
    }

    @ParameterizedTest(name = "override {0}")
    @ValueSource(strings = {"2025-05-31T08:00:00Z", "2025-06-01T08:00:00Z", "2025-06-01T08:00:00.999Z",
        "2030-09-01T08:00:01Z"})
    void notAfterOverrideInThePastAtNotBeforeOrTooFarIsRefused(String override) {
        Ca issuing = TestCas.chain(KeyAlgorithm.EC).issuing();
        EndEntityRequest request = new EndEntityRequest(TestEndEntities.subject(),
                TestEndEntities.freshKey(KeyAlgorithm.EC), KeyUsageKind.SIGNING, null, null, null,
                Instant.parse(override));

        assertThatThrownBy(() -> TestEndEntities.prepare(TestEndEntities.profile().build(), request, issuing))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DomainException.Kind.BAD_REQUEST);
                    assertThat(e.field()).isEqualTo("notAfterOverride");
                });
    }

    @Test
    void anExpiredIssuerIsRefused() {
        Ca issuing = TestCas.chain(KeyAlgorithm.EC).issuing();
        EndEntityCertificates later = new EndEntityCertificates(
                Clock.fixed(issuing.certificate().getNotAfter().toInstant().plusSeconds(1), ZoneOffset.UTC));

        assertThatThrownBy(() -> later.prepare(TestEndEntities.profile().build(),
                TestEndEntities.request(KeyAlgorithm.EC, KeyUsageKind.SIGNING), TestEndEntities.issuer(issuing),
                TestEndEntities.serial(), EndEntityCertificates.signatureAlgorithm(issuing.signer())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("valid from");
    }

    @Test
    void theIssuersOwnNameIsRefusedAsSubject() {
        Ca issuing = TestCas.chain(KeyAlgorithm.EC).issuing();
        EndEntityRequest request = EndEntityRequest.of(DistinguishedNames.parse(TestCas.ISSUING_DN),
                TestEndEntities.freshKey(KeyAlgorithm.EC), KeyUsageKind.SIGNING);

        assertThatThrownBy(() -> TestEndEntities.prepare(TestEndEntities.profile().build(), request, issuing))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.field()).isEqualTo("subject"));
    }

    @Test
    void aSignatureAlgorithmOfAnotherKeyTypeIsRefusedWhenPreparing() {
        Ca issuing = TestCas.chain(KeyAlgorithm.SM2).issuing();
        Ca ecCa = TestCas.root(KeyAlgorithm.EC);

        assertThatThrownBy(() -> TestEndEntities.certificates().prepare(TestEndEntities.profile().build(),
                TestEndEntities.request(KeyAlgorithm.SM2, KeyUsageKind.SIGNING), TestEndEntities.issuer(issuing),
                TestEndEntities.serial(), EndEntityCertificates.signatureAlgorithm(ecCa.signer())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1.2.156.10197.1.501");
    }

    @Test
    void signRefusesATbsWhoseAlgorithmIdentifierDiffersFromTheSignersEvenInParameters() {
        Ca issuing = TestCas.chain(KeyAlgorithm.SM2).issuing();
        AlgorithmIdentifier signers = EndEntityCertificates.signatureAlgorithm(issuing.signer());
        AlgorithmIdentifier withNull = new AlgorithmIdentifier(signers.getAlgorithm(), DERNull.INSTANCE);
        TBSCertificate tbs = TestEndEntities.certificates().prepare(TestEndEntities.profile().build(),
                TestEndEntities.request(KeyAlgorithm.SM2, KeyUsageKind.SIGNING), TestEndEntities.issuer(issuing),
                TestEndEntities.serial(), withNull);

        assertThat(signers.getParameters()).as("BC writes SM3withSM2 without parameters").isNull();
        assertThatThrownBy(() -> TestEndEntities.certificates().sign(tbs, issuing.signer()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("signatureAlgorithm(signer)");
    }

    @Test
    void signRefusesASignerOfAnotherAlgorithm() {
        Chain sm2 = TestCas.chain(KeyAlgorithm.SM2);
        Ca ecCa = TestCas.root(KeyAlgorithm.EC);
        TBSCertificate tbs = TestEndEntities.prepare(TestEndEntities.profile().build(),
                TestEndEntities.request(KeyAlgorithm.SM2, KeyUsageKind.SIGNING), sm2.issuing());

        assertThatThrownBy(() -> TestEndEntities.certificates().sign(tbs, ecCa.signer()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parseTbsRefusesTrailingBytesAndGarbage() throws Exception {
        Ca issuing = TestCas.chain(KeyAlgorithm.EC).issuing();
        byte[] der = TestEndEntities.prepare(TestEndEntities.profile().build(),
                TestEndEntities.request(KeyAlgorithm.EC, KeyUsageKind.SIGNING), issuing).getEncoded(ASN1Encoding.DER);
        byte[] trailing = Arrays.copyOf(der, der.length + 1);

        assertThat(EndEntityCertificates.parseTbs(der).getEncoded(ASN1Encoding.DER)).isEqualTo(der);
        assertThatThrownBy(() -> EndEntityCertificates.parseTbs(trailing)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EndEntityCertificates.parseTbs(new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EndEntityCertificates.parseTbs(issuing.certificate().getEncoded()))
                .as("a whole certificate is no TBSCertificate")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSerialThatDoesNotFitTwentyOctetsIsRefused() {
        Ca issuing = TestCas.chain(KeyAlgorithm.EC).issuing();

        for (BigInteger serial : List.of(BigInteger.ZERO, BigInteger.ONE.negate(), BigInteger.TWO.pow(159))) {
            assertThatThrownBy(() -> TestEndEntities.certificates().prepare(TestEndEntities.profile().build(),
                    TestEndEntities.request(KeyAlgorithm.EC, KeyUsageKind.SIGNING), TestEndEntities.issuer(issuing),
                    serial, EndEntityCertificates.signatureAlgorithm(issuing.signer())))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("20 octets");
        }
    }

    @Test
    void issuerContextRequiresACaAndWellFormedUrls() throws Exception {
        Ca issuing = TestCas.chain(KeyAlgorithm.EC).issuing();
        X509Certificate leaf = TestEndEntities.issue(TestEndEntities.profile().build(),
                TestEndEntities.request(KeyAlgorithm.EC, KeyUsageKind.SIGNING), issuing);
        X509Certificate ca = issuing.certificate();

        assertThatThrownBy(() -> TestEndEntities.issuer(leaf)).hasMessageContaining("not a CA certificate");
        assertThatThrownBy(() -> new IssuerContext(ca, "https://x.test/a.crl", CRL_LDAP, OCSP, CA_ISSUERS))
                .hasMessageContaining("crlHttpUrl");
        assertThatThrownBy(() -> new IssuerContext(ca, CRL_HTTP, "http://x.test/a.crl", OCSP, CA_ISSUERS))
                .hasMessageContaining("crlLdapUrl");
        assertThatThrownBy(() -> new IssuerContext(ca, CRL_HTTP, CRL_LDAP, "ldap://x.test", CA_ISSUERS))
                .hasMessageContaining("ocspUrl");
        assertThatThrownBy(() -> new IssuerContext(ca, CRL_HTTP, CRL_LDAP, OCSP, null))
                .hasMessageContaining("caIssuersUrl");
    }

    @Test
    void prepareIsDeterministicForTheSameInputsSoTheStoredIntentIsWhatGetsSigned() throws Exception {
        Ca issuing = TestCas.chain(KeyAlgorithm.SM2).issuing();
        EndEntityRequest request = TestEndEntities.request(KeyAlgorithm.SM2, KeyUsageKind.SIGNING);
        BigInteger serial = TestEndEntities.serial();
        AlgorithmIdentifier algorithm = EndEntityCertificates.signatureAlgorithm(issuing.signer());
        CertificateProfile profile = TestEndEntities.profile().build();

        byte[] first = TestEndEntities.certificates().prepare(profile, request, TestEndEntities.issuer(issuing), serial,
                algorithm).getEncoded();
        byte[] second = TestEndEntities.certificates().prepare(profile, request, TestEndEntities.issuer(issuing), serial,
                algorithm).getEncoded();
        X509Certificate signedTwice = TestEndEntities.certificates()
                .sign(EndEntityCertificates.parseTbs(first), issuing.signer());

        assertThat(second).isEqualTo(first);
        assertThat(signedTwice.getTBSCertificate()).isEqualTo(first);
    }

    private static Ca shortLivedIssuing(Ca root, Period validity) {
        KeyAlgorithm algorithm = KeyAlgorithm.of(root.certificate().getPublicKey());
        KeyPair keyPair = algorithm.generate(TestCas.RANDOM);
        CaCertificateRequest request = CaCertificateRequest.issuingCa(TestCas.ISSUING_DN, validity, TestCas.CRL_HTTP,
                TestCas.CRL_LDAP, TestCas.CA_ISSUERS);
        X509Certificate certificate = TestCas.factory().subordinate(request, keyPair.getPublic(), root.certificate(),
                root.signer());
        return new Ca(certificate, CaSigner.of(keyPair, TestCas.RANDOM));
    }

    private static byte[] signatureAlgorithmOf(X509Certificate certificate) throws Exception {
        return Certificate.getInstance(certificate.getEncoded()).getSignatureAlgorithm().getEncoded(ASN1Encoding.DER);
    }

    private static DistributionPointName crlDistributionPoint(Extensions extensions) {
        DistributionPoint[] points = CRLDistPoint.fromExtensions(extensions).getDistributionPoints();
        assertThat(points).hasSize(1);
        assertThat(points[0].getReasons()).isNull();
        assertThat(points[0].getCRLIssuer()).isNull();
        assertThat(points[0].getDistributionPoint().getType()).isEqualTo(DistributionPointName.FULL_NAME);
        return points[0].getDistributionPoint();
    }

    private static List<String> uris(ASN1Encodable fullName) {
        return Stream.of(GeneralNames.getInstance(fullName).getNames())
                .peek(name -> assertThat(name.getTagNo()).isEqualTo(GeneralName.uniformResourceIdentifier))
                .map(name -> ASN1IA5String.getInstance(name.getName()).getString())
                .toList();
    }

    private static List<String> accessDescriptions(Extensions extensions) {
        return Stream.of(AuthorityInformationAccess.fromExtensions(extensions).getAccessDescriptions())
                .map(d -> d.getAccessMethod().getId() + " "
                        + ASN1IA5String.getInstance(d.getAccessLocation().getName()).getString())
                .toList();
    }

    private static void assertPolicy(Extensions extensions) {
        CertificatePolicies policies = CertificatePolicies.fromExtensions(extensions);
        assertThat(extensions.getExtension(Extension.certificatePolicies).isCritical()).isFalse();
        PolicyInformation[] information = policies.getPolicyInformation();
        assertThat(information).hasSize(1);
        assertThat(information[0].getPolicyIdentifier().getId()).isEqualTo(POLICY_OID);
        ASN1Sequence qualifiers = information[0].getPolicyQualifiers();
        assertThat(qualifiers.size()).isEqualTo(1);
        PolicyQualifierInfo qualifier = PolicyQualifierInfo.getInstance(qualifiers.getObjectAt(0));
        assertThat(qualifier.getPolicyQualifierId()).isEqualTo(PolicyQualifierId.id_qt_cps);
        assertThat(ASN1IA5String.getInstance(qualifier.getQualifier()).getString()).isEqualTo(CPS_URI);
    }
}
