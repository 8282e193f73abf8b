package org.egovpki.core.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.egovpki.core.x509.TestCas.NOW;
import static org.egovpki.core.x509.TestCas.RANDOM;

import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1PrintableString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.CaSigner;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.x509.TestCas.Ca;
import org.egovpki.core.x509.TestCas.Chain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CaCertificateFactoryTest {

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void rootVerifiesItselfAndIssuingCaVerifiesUnderTheRoot(KeyAlgorithm algorithm) throws Exception {
        Chain chain = TestCas.chain(algorithm);
        X509Certificate root = chain.root().certificate();
        X509Certificate issuing = chain.issuing().certificate();

        root.verify(root.getPublicKey(), BouncyCastle.PROVIDER);
        issuing.verify(root.getPublicKey(), BouncyCastle.PROVIDER);
        assertThat(root.getVersion()).isEqualTo(3);
        assertThat(issuing.getVersion()).isEqualTo(3);
        assertThat(issuing.getSigAlgOID()).isEqualTo(TestCas.signatureOid(algorithm));
        assertThat(issuing.getIssuerX500Principal()).isEqualTo(root.getSubjectX500Principal());
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void caProfileExtensions(KeyAlgorithm algorithm) throws Exception {
        Chain chain = TestCas.chain(algorithm);
        X509Certificate root = chain.root().certificate();
        X509Certificate issuing = chain.issuing().certificate();

        for (X509Certificate certificate : List.of(root, issuing)) {
            Extensions extensions = extensionsOf(certificate);
            assertThat(certificate.getCriticalExtensionOIDs())
                    .containsExactlyInAnyOrder(Extension.basicConstraints.getId(), Extension.keyUsage.getId());
            assertThat(BasicConstraints.fromExtensions(extensions).isCA()).isTrue();
            KeyUsage keyUsage = KeyUsage.fromExtensions(extensions);
            assertThat(keyUsage.hasUsages(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature)).isTrue();
            assertThat(keyUsage.hasUsages(KeyUsage.keyEncipherment)).isFalse();
            assertThat(SubjectKeyIdentifier.fromExtensions(extensions).getKeyIdentifier())
                    .isEqualTo(sha1OfKeyBits(certificate.getPublicKey()));
        }
        assertThat(root.getBasicConstraints()).as("root has no path length limit").isEqualTo(Integer.MAX_VALUE);
        assertThat(issuing.getBasicConstraints()).as("issuing CA pathLenConstraint").isZero();

        byte[] rootSki = SubjectKeyIdentifier.fromExtensions(extensionsOf(root)).getKeyIdentifier();
        assertThat(AuthorityKeyIdentifier.fromExtensions(extensionsOf(root)).getKeyIdentifierOctets()).isEqualTo(rootSki);
        AuthorityKeyIdentifier issuingAki = AuthorityKeyIdentifier.fromExtensions(extensionsOf(issuing));
        assertThat(issuingAki.getKeyIdentifierOctets()).isEqualTo(rootSki);
        assertThat(issuingAki.getAuthorityCertIssuer()).as("keyIdentifier only").isNull();
        assertThat(issuingAki.getAuthorityCertSerialNumber()).isNull();
    }

    @Test
    void rootCarriesCaRepositoryAndNoIssuerPointers() throws Exception {
        X509Certificate root = TestCas.root(KeyAlgorithm.SM2).certificate();
        Extensions extensions = extensionsOf(root);

        ASN1Sequence sia = ASN1Sequence.getInstance(extensions.getExtensionParsedValue(Extension.subjectInfoAccess));
        AccessDescription access = AccessDescription.getInstance(sia.getObjectAt(0));
        assertThat(sia.size()).isOne();
        assertThat(access.getAccessMethod()).isEqualTo(new ASN1ObjectIdentifier("1.3.6.1.5.5.7.48.5"));
        assertThat(access.getAccessLocation())
                .isEqualTo(new GeneralName(GeneralName.uniformResourceIdentifier, TestCas.CA_REPOSITORY));
        assertThat(extensions.getExtension(Extension.cRLDistributionPoints)).isNull();
        assertThat(extensions.getExtension(Extension.authorityInfoAccess)).isNull();
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void issuingCaPointsAtTheRootsCrlOverHttpAndLdapAndAtTheRootsResponderAndCertificate(KeyAlgorithm algorithm)
            throws Exception {
        X509Certificate issuing = TestCas.chain(algorithm).issuing().certificate();
        Extensions extensions = extensionsOf(issuing);

        CRLDistPoint crlDp = CRLDistPoint.fromExtensions(extensions);
        assertThat(crlDp.getDistributionPoints()).hasSize(1);
        GeneralNames names = GeneralNames.getInstance(crlDp.getDistributionPoints()[0].getDistributionPoint().getName());
        assertThat(names.getNames()).containsExactly(
                new GeneralName(GeneralName.uniformResourceIdentifier, TestCas.CRL_HTTP),
                new GeneralName(GeneralName.uniformResourceIdentifier, TestCas.CRL_LDAP));
        assertThat(issuing.getNonCriticalExtensionOIDs()).contains(Extension.authorityInfoAccess.getId());
        AccessDescription[] aia = AuthorityInformationAccess.fromExtensions(extensions).getAccessDescriptions();
        assertThat(aia).extracting(AccessDescription::getAccessMethod)
                .containsExactly(AccessDescription.id_ad_ocsp, AccessDescription.id_ad_caIssuers);
        assertThat(aia).extracting(AccessDescription::getAccessLocation).containsExactly(
                new GeneralName(GeneralName.uniformResourceIdentifier, TestCas.OCSP),
                new GeneralName(GeneralName.uniformResourceIdentifier, TestCas.CA_ISSUERS));
        assertThat(extensions.getExtension(Extension.subjectInfoAccess)).isNull();
    }

    @Test
    void issuingCaWithoutAnOcspUrlCarriesCaIssuersOnly() throws Exception {
        Ca root = TestCas.root(KeyAlgorithm.EC);
        CaCertificateRequest request = CaCertificateRequest.issuingCa(TestCas.ISSUING_DN, Period.ofYears(5),
                TestCas.CRL_HTTP, TestCas.CRL_LDAP, TestCas.CA_ISSUERS);
        X509Certificate issuing = TestCas.factory().subordinate(request, KeyAlgorithm.EC.generate(RANDOM).getPublic(),
                root.certificate(), root.signer());

        AccessDescription[] aia = AuthorityInformationAccess.fromExtensions(extensionsOf(issuing)).getAccessDescriptions();

        assertThat(aia).extracting(AccessDescription::getAccessMethod).containsExactly(AccessDescription.id_ad_caIssuers);
    }

    @Test
    void rootWithAnOcspUrlIsRefused() {
        KeyPair keyPair = KeyAlgorithm.EC.generate(RANDOM);
        CaCertificateRequest request = new CaCertificateRequest(TestCas.ROOT_DN, Period.ofYears(20), null,
                TestCas.CA_REPOSITORY, null, null, null, TestCas.OCSP);

        assertThatThrownBy(() -> TestCas.factory().selfSignedRoot(request, keyPair))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OCSP")
                .hasMessageContaining("has no issuer");
    }

    @Test
    void requestRejectsAnOcspUrlThatIsNotPlainHttp() {
        for (String url : List.of("https://pki.egov-pki.test/ocsp", "ldap://ldap.egov-pki.test/ocsp", "/ocsp")) {
            assertThatThrownBy(() -> CaCertificateRequest.issuingCa(TestCas.ISSUING_DN, Period.ofYears(5), null, null,
                    null, url))
                    .as(url)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ocspUrl");
        }
    }

    @Test
    void sm2CertificatesUseSm3WithSm2OnTheSm2Curve() throws Exception {
        Chain chain = TestCas.chain(KeyAlgorithm.SM2);

        for (X509Certificate certificate : List.of(chain.root().certificate(), chain.issuing().certificate())) {
            Certificate decoded = Certificate.getInstance(certificate.getEncoded());
            assertThat(decoded.getSignatureAlgorithm().getAlgorithm().getId()).isEqualTo("1.2.156.10197.1.501");
            assertThat(certificate.getSigAlgOID()).isEqualTo("1.2.156.10197.1.501");
            SubjectPublicKeyInfo key = decoded.getSubjectPublicKeyInfo();
            assertThat(key.getAlgorithm().getAlgorithm().getId()).isEqualTo("1.2.840.10045.2.1");
            assertThat(key.getAlgorithm().getParameters()).isEqualTo(new ASN1ObjectIdentifier("1.2.156.10197.1.301"));
        }
    }

    @Test
    void subjectStringTypesAndDerOrder() throws Exception {
        X509Certificate root = TestCas.root(KeyAlgorithm.SM2).certificate();

        X500Name subject = Certificate.getInstance(root.getEncoded()).getSubject();
        RDN[] rdns = subject.getRDNs();
        assertThat(rdns).hasSize(3);
        assertThat(rdns[0].getFirst().getType()).as("DER starts with C").isEqualTo(BCStyle.C);
        assertThat(rdns[0].getFirst().getValue()).isInstanceOf(ASN1PrintableString.class);
        assertThat(rdns[1].getFirst().getType()).isEqualTo(BCStyle.O);
        assertThat(rdns[1].getFirst().getValue()).isInstanceOf(ASN1UTF8String.class);
        assertThat(rdns[2].getFirst().getType()).isEqualTo(BCStyle.CN);
        assertThat(rdns[2].getFirst().getValue()).isInstanceOf(ASN1UTF8String.class);
        assertThat(root.getSubjectX500Principal().getName()).isEqualTo(TestCas.ROOT_DN);
    }

    @Test
    void chineseSubjectRoundTrips() throws Exception {
        String dn = "CN=某省电子政务 SM2 根 CA,OU=数字证书认证中心,O=某省电子政务外网,L=杭州,ST=浙江,C=CN";
        X509Certificate root = TestCas.root(KeyAlgorithm.SM2,
                CaCertificateRequest.root(dn, Period.ofYears(30), TestCas.CA_REPOSITORY)).certificate();

        X509Certificate parsed = Pem.parseCertificate(root.getEncoded());
        X500Name subject = Certificate.getInstance(parsed.getEncoded()).getSubject();
        assertThat(DistinguishedNames.format(subject)).isEqualTo(dn);
        assertThat(subject.getRDNs()[5].getFirst().getValue()).isInstanceOf(ASN1UTF8String.class);
        assertThat(parsed.getSubjectX500Principal().getName()).isEqualTo(dn);
    }

    @Test
    void serialIsPositiveWithAtLeast64Bits() {
        X509Certificate root = TestCas.root(KeyAlgorithm.EC).certificate();

        assertThat(root.getSerialNumber().signum()).isPositive();
        assertThat(root.getSerialNumber().bitLength()).isBetween(64, 127);
    }

    @Test
    void validityStartsAtTheClocksSecondAndRunsForTheRequestedPeriod() {
        Chain chain = TestCas.chain(KeyAlgorithm.EC);

        assertThat(chain.root().certificate().getNotBefore().toInstant()).isEqualTo(NOW.truncatedTo(ChronoUnit.SECONDS));
        assertThat(chain.root().certificate().getNotAfter().toInstant())
                .isEqualTo(NOW.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC).plusYears(30).toInstant());
        assertThat(chain.issuing().certificate().getNotAfter().toInstant())
                .isEqualTo(NOW.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC).plusYears(20).toInstant());
    }

    @Test
    void rootLongerThan30YearsIsRefused() {
        KeyPair keyPair = KeyAlgorithm.SM2.generate(RANDOM);
        CaCertificateRequest request = CaCertificateRequest.root(TestCas.ROOT_DN, Period.ofYears(31), TestCas.CA_REPOSITORY);

        assertThatThrownBy(() -> TestCas.factory().selfSignedRoot(request, keyPair))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("P31Y")
                .hasMessageContaining("maximum of 30 years");
    }

    @Test
    void issuingCaLongerThan20YearsIsRefused() {
        Ca root = TestCas.root(KeyAlgorithm.SM2);
        CaCertificateRequest request = CaCertificateRequest.issuingCa(TestCas.ISSUING_DN, Period.ofYears(21), null, null, null);
        PublicKey key = KeyAlgorithm.SM2.generate(RANDOM).getPublic();

        assertThatThrownBy(() -> TestCas.factory().subordinate(request, key, root.certificate(), root.signer()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("P21Y")
                .hasMessageContaining("maximum of 20 years");
    }

    @Test
    void issuingCaOutlivingItsRootIsRefused() {
        Ca root = TestCas.root(KeyAlgorithm.SM2,
                CaCertificateRequest.root(TestCas.ROOT_DN, Period.ofYears(10), TestCas.CA_REPOSITORY));
        CaCertificateRequest request = CaCertificateRequest.issuingCa(TestCas.ISSUING_DN, Period.ofYears(11), null, null, null);
        PublicKey key = KeyAlgorithm.SM2.generate(RANDOM).getPublic();

        assertThatThrownBy(() -> TestCas.factory().subordinate(request, key, root.certificate(), root.signer()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("past its issuer's notAfter " + root.certificate().getNotAfter().toInstant());
    }

    @Test
    void rootWithoutCaRepositoryIsRefused() {
        KeyPair keyPair = KeyAlgorithm.EC.generate(RANDOM);
        CaCertificateRequest request = CaCertificateRequest.root(TestCas.ROOT_DN, Period.ofYears(20), null);

        assertThatThrownBy(() -> TestCas.factory().selfSignedRoot(request, keyPair))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("caRepository");
    }

    @Test
    void rootWithCrlDistributionPointIsRefused() {
        KeyPair keyPair = KeyAlgorithm.EC.generate(RANDOM);
        CaCertificateRequest request = new CaCertificateRequest(TestCas.ROOT_DN, Period.ofYears(20), null,
                TestCas.CA_REPOSITORY, TestCas.CRL_HTTP, null, null);

        assertThatThrownBy(() -> TestCas.factory().selfSignedRoot(request, keyPair))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no issuer");
    }

    @Test
    void signerThatDoesNotHoldTheIssuerKeyIsRefused() {
        Ca root = TestCas.root(KeyAlgorithm.EC);
        CaSigner stranger = CaSigner.of(KeyAlgorithm.EC.generate(RANDOM), RANDOM);
        PublicKey key = KeyAlgorithm.EC.generate(RANDOM).getPublic();

        assertThatThrownBy(() -> TestCas.factory().subordinate(TestCas.issuingRequest(), key, root.certificate(), stranger))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not hold the key of issuer");
    }

    @Test
    void issuingCaWithPathLenZeroCannotIssueCaCertificates() {
        Chain chain = TestCas.chain(KeyAlgorithm.EC);
        PublicKey key = KeyAlgorithm.EC.generate(RANDOM).getPublic();
        CaCertificateRequest request = CaCertificateRequest.issuingCa("CN=Below,O=egov-pki,C=CN", Period.ofYears(5),
                null, null, null);

        assertThatThrownBy(() -> TestCas.factory().subordinate(request, key, chain.issuing().certificate(),
                chain.issuing().signer()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pathLenConstraint 0");
    }

    @Test
    void subordinateNamedLikeItsIssuerIsRefused() {
        Ca root = TestCas.root(KeyAlgorithm.EC);
        PublicKey key = KeyAlgorithm.EC.generate(RANDOM).getPublic();
        CaCertificateRequest request = CaCertificateRequest.issuingCa(TestCas.ROOT_DN, Period.ofYears(5), null, null, null);

        assertThatThrownBy(() -> TestCas.factory().subordinate(request, key, root.certificate(), root.signer()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("equals its issuer's subject");
    }

    @Test
    void requestRejectsHttpsCrlAndNegativePathLength() {
        assertThatThrownBy(() -> CaCertificateRequest.issuingCa(TestCas.ISSUING_DN, Period.ofYears(5),
                "https://pki.egov-pki.test/root.crl", null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("crlDistributionPointUrl")
                .hasMessageContaining("http");
        assertThatThrownBy(() -> new CaCertificateRequest(TestCas.ROOT_DN, Period.ofYears(5), -1, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
        assertThatThrownBy(() -> CaCertificateRequest.root(TestCas.ROOT_DN, Period.ZERO, TestCas.CA_REPOSITORY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive");
    }

    static Extensions extensionsOf(X509Certificate certificate) throws Exception {
        return Certificate.getInstance(certificate.getEncoded()).getTBSCertificate().getExtensions();
    }

    static byte[] sha1OfKeyBits(PublicKey key) throws Exception {
        byte[] bits = SubjectPublicKeyInfo.getInstance(key.getEncoded()).getPublicKeyData().getBytes();
        return MessageDigest.getInstance("SHA-1").digest(bits);
    }

}
