package org.egovpki.core.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.egovpki.core.x509.TestCas.CLOCK;
import static org.egovpki.core.x509.TestCas.NOW;
import static org.egovpki.core.x509.TestCas.RANDOM;

import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.CertificateList;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.TBSCertList;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.CaSigner;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.x509.TestCas.Ca;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CrlFactoryTest {

    private static final Instant REVOKED_AT = Instant.parse("2025-05-30T10:15:30Z");
    private static final Instant COMPROMISED_AT = Instant.parse("2025-05-29T00:00:00Z");

    static RevokedEntry keyCompromise() {
        return new RevokedEntry(new BigInteger("1234567890abcdef", 16), REVOKED_AT, CRLReason.keyCompromise, COMPROMISED_AT);
    }

    static RevokedEntry withoutDetails() {
        return RevokedEntry.of(new BigInteger("42"), REVOKED_AT);
    }

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"SM2", "EC"})
    void crlVerifiesUnderTheCaKeyAndCarriesTheProfile(KeyAlgorithm algorithm) throws Exception {
        Ca ca = TestCas.root(algorithm);

        X509CRL crl = new CrlFactory(CLOCK).build(CrlRequest.of(BigInteger.valueOf(7), List.of(keyCompromise(), withoutDetails())),
                ca.certificate(), ca.signer());

        crl.verify(ca.certificate().getPublicKey(), BouncyCastle.PROVIDER);
        assertThat(crl.getVersion()).isEqualTo(2);
        assertThat(crl.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
        assertThat(crl.getSigAlgOID()).isEqualTo(TestCas.signatureOid(algorithm));
        assertThat(crl.getCriticalExtensionOIDs()).isNullOrEmpty();

        Extensions extensions = tbsOf(crl).getExtensions();
        assertThat(CRLNumber.getInstance(extensions.getExtensionParsedValue(Extension.cRLNumber)).getCRLNumber())
                .isEqualTo(7);
        assertThat(extensions.getExtension(Extension.cRLNumber).isCritical()).isFalse();
        byte[] caSki = SubjectKeyIdentifier.fromExtensions(CaCertificateFactoryTest.extensionsOf(ca.certificate()))
                .getKeyIdentifier();
        assertThat(AuthorityKeyIdentifier.fromExtensions(extensions).getKeyIdentifierOctets()).isEqualTo(caSki);
    }

    @Test
    void sm2CrlIsSignedWithSm3WithSm2() throws Exception {
        Ca ca = TestCas.root(KeyAlgorithm.SM2);

        X509CRL crl = new CrlFactory(CLOCK).build(CrlRequest.of(BigInteger.ONE, List.of()), ca.certificate(), ca.signer());

        assertThat(crl.getSigAlgOID()).isEqualTo("1.2.156.10197.1.501");
    }

    @Test
    void entriesCarryReasonCodeAndInvalidityDateWhenGiven() throws Exception {
        Ca ca = TestCas.root(KeyAlgorithm.EC);

        X509CRL crl = new CrlFactory(CLOCK).build(CrlRequest.of(BigInteger.TWO, List.of(keyCompromise(), withoutDetails())),
                ca.certificate(), ca.signer());

        X509CRLEntry compromised = crl.getRevokedCertificate(keyCompromise().serial());
        assertThat(compromised.getRevocationDate().toInstant()).isEqualTo(REVOKED_AT);
        assertThat(CRLReason.getInstance(octets(compromised.getExtensionValue(Extension.reasonCode.getId())))
                .getValue().intValue())
                .isEqualTo(CRLReason.keyCompromise);
        assertThat(ASN1GeneralizedTime.getInstance(octets(compromised.getExtensionValue(Extension.invalidityDate.getId())))
                .getDate().toInstant()).isEqualTo(COMPROMISED_AT);
        assertThat(compromised.getCriticalExtensionOIDs()).isNullOrEmpty();

        X509CRLEntry plain = crl.getRevokedCertificate(withoutDetails().serial());
        assertThat(plain.hasExtensions()).isFalse();
    }

    @Test
    void unspecifiedReasonIsLeftOut() {
        Ca ca = TestCas.root(KeyAlgorithm.EC);
        RevokedEntry unspecified = new RevokedEntry(BigInteger.TEN, REVOKED_AT, CRLReason.unspecified, null);

        X509CRL crl = new CrlFactory(CLOCK).build(CrlRequest.of(BigInteger.ONE, List.of(unspecified)), ca.certificate(),
                ca.signer());

        assertThat(crl.getRevokedCertificate(BigInteger.TEN).hasExtensions()).isFalse();
    }

    @Test
    void thisUpdateDefaultsToTheClockAndNextUpdateTo24HoursLater() {
        Ca ca = TestCas.root(KeyAlgorithm.EC);

        X509CRL crl = new CrlFactory(CLOCK).build(CrlRequest.of(BigInteger.ONE, List.of()), ca.certificate(), ca.signer());

        Instant thisUpdate = NOW.truncatedTo(ChronoUnit.SECONDS);
        assertThat(crl.getThisUpdate().toInstant()).isEqualTo(thisUpdate);
        assertThat(crl.getNextUpdate().toInstant()).isEqualTo(thisUpdate.plus(Duration.ofHours(24)));
        assertThat(crl.getRevokedCertificates()).isNull();
    }

    @Test
    void explicitThisUpdateAndInterval() {
        Ca ca = TestCas.root(KeyAlgorithm.EC);
        Instant thisUpdate = Instant.parse("2025-06-02T00:00:00Z");

        X509CRL crl = new CrlFactory(CLOCK).build(new CrlRequest(BigInteger.ONE, thisUpdate, Duration.ofHours(6), null),
                ca.certificate(), ca.signer());

        assertThat(crl.getThisUpdate().toInstant()).isEqualTo(thisUpdate);
        assertThat(crl.getNextUpdate().toInstant()).isEqualTo(thisUpdate.plus(Duration.ofHours(6)));
    }

    @Test
    void signerOfAnotherKeyIsRefused() {
        Ca ca = TestCas.root(KeyAlgorithm.EC);
        CaSigner stranger = CaSigner.of(KeyAlgorithm.EC.generate(RANDOM), RANDOM);

        assertThatThrownBy(() -> new CrlFactory(CLOCK).build(CrlRequest.of(BigInteger.ONE, List.of()), ca.certificate(),
                stranger))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not hold the key of issuer certificate");
    }

    @Test
    void requestAndEntryInvariants() {
        assertThatThrownBy(() -> CrlRequest.of(BigInteger.ONE, List.of(withoutDetails(), withoutDetails())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("listed twice");
        assertThatThrownBy(() -> CrlRequest.of(BigInteger.ONE.negate(), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("20 octets");
        assertThatThrownBy(() -> new RevokedEntry(BigInteger.ONE, REVOKED_AT, 7, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0-6, 9, 10");
        assertThatThrownBy(() -> new RevokedEntry(BigInteger.ONE, REVOKED_AT, 8, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("delta");
        assertThatThrownBy(() -> new RevokedEntry(BigInteger.ONE, REVOKED_AT, null, REVOKED_AT.plusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("after its revocation date");
    }

    static TBSCertList tbsOf(X509CRL crl) throws Exception {
        return CertificateList.getInstance(crl.getEncoded()).getTBSCertList();
    }

    private static byte[] octets(byte[] extensionValue) {
        return ASN1OctetString.getInstance(extensionValue).getOctets();
    }
}
