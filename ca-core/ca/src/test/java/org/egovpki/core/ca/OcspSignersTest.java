package org.egovpki.core.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.ResponderID;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.CaKeyStore;
import org.egovpki.core.crypto.InMemoryCaKeyStore;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.ocsp.CertificateStatusSource;
import org.egovpki.core.ocsp.OcspResponder;
import org.egovpki.core.ocsp.RevocationStatus;
import org.egovpki.core.ocsp.ServedCa;
import org.egovpki.core.ca.MovableClock;
import org.egovpki.core.x509.CaCertificateFactory;
import org.egovpki.core.x509.CrlFactory;
import org.egovpki.core.x509.KeyIdentifiers;
import org.egovpki.core.x509.OcspSigningCertificates;
import org.egovpki.core.x509.OpenSsl;
import org.egovpki.core.x509.Pem;
import org.egovpki.core.x509.SerialNumbers;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Delegated OCSP responders: issued by each CA, kept in its key store, reused, renewed, and verifiable. */
class OcspSignersTest {

    private static final Duration VALIDITY = Duration.ofDays(30);
    private static final OcspResponder.Settings SETTINGS =
            new OcspResponder.Settings(Duration.ofHours(1), Duration.ofMinutes(1), 100);

    @TempDir
    Path dir;

    private final SecureRandom random = new SecureRandom();
    private final CaKeyStore keyStore = new InMemoryCaKeyStore(random);
    private final RecordingAuditLog audit = new RecordingAuditLog();
    private final BigInteger good = SerialNumbers.random(random);
    private final CertificateStatusSource statuses =
            (issuer, serial) -> serial.equals(good) ? Optional.of(RevocationStatus.good()) : Optional.empty();

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void eachCaCertifiesItsOwnResponderWhoseResponsesVerifyUnderIt(KeyAlgorithm algorithm) throws Exception {
        MovableClock clock = new MovableClock(Instant.parse("2026-11-21T08:00:00Z"));
        CaRegistry registry = root(algorithm, clock);
        OcspSigners signers = signers(registry, clock);

        OcspResponder responder = OcspResponders.delegated(signers, statuses, clock, SETTINGS);

        assertThat(audit.ofType(AuditEventType.OCSP_RESPONDER_ISSUED)).hasSize(1);
        for (CertificateAuthority ca : registry.all()) {
            BasicOCSPResp basic = basic(responder.respond(request(ca.certificate(), good)));
            assertThat(basic.getCerts()).hasSize(1);
            X509Certificate delegated = certificate(basic.getCerts()[0]);

            delegated.verify(ca.certificate().getPublicKey(), BouncyCastle.PROVIDER);
            assertThat(delegated.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
            assertThat(delegated.getExtendedKeyUsage()).containsExactly(KeyPurposeId.id_kp_OCSPSigning.getId());
            assertThat(delegated.getNonCriticalExtensionOIDs())
                    .contains(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck.getId());
            assertThat(delegated.getCriticalExtensionOIDs()).containsExactly(Extension.keyUsage.getId());
            assertThat(delegated.getKeyUsage()[0]).as("digitalSignature").isTrue();
            assertThat(delegated.getNotAfter()).isEqualTo(Date.from(clock.instant().plus(VALIDITY)));
            assertThat(delegated.getPublicKey()).isNotEqualTo(ca.certificate().getPublicKey());

            assertThat(basic.isSignatureValid(verifier(delegated.getPublicKey()))).isTrue();
            assertThat(basic.getSignatureAlgOID().getId()).isEqualTo(delegated.getSigAlgOID());
            ResponderID responderId = basic.getResponderId().toASN1Primitive();
            assertThat(responderId.getKeyHash()).isEqualTo(KeyIdentifiers.subjectKeyIdentifier(delegated.getPublicKey()));
            assertThat(basic.getResponses()[0].getCertStatus()).isSameAs(CertificateStatus.GOOD);
        }
    }

    @Test
    void aRestartReusesTheStoredResponderInsteadOfIssuingAnother() {
        MovableClock clock = new MovableClock(Instant.parse("2026-11-21T08:00:00Z"));
        CaRegistry registry = root(KeyAlgorithm.EC, clock);
        List<ServedCa> first = signers(registry, clock).servedCas();
        clock.advance(Duration.ofDays(15));

        List<ServedCa> afterRestart = signers(registry, clock).servedCas();

        assertThat(afterRestart).extracting(ServedCa::responderCertificate)
                .containsExactlyElementsOf(first.stream().map(ServedCa::responderCertificate).toList());
        assertThat(audit.ofType(AuditEventType.OCSP_RESPONDER_ISSUED)).hasSize(1);
    }

    @Test
    void renewedWhileServingOnceLessThanAThirdIsLeftAndTheNewestWinsAfterARestart() throws Exception {
        MovableClock clock = new MovableClock(Instant.parse("2026-11-21T08:00:00Z"));
        CaRegistry registry = root(KeyAlgorithm.SM2, clock);
        OcspSigners signers = signers(registry, clock);
        OcspResponder responder = OcspResponders.delegated(signers, statuses, clock, SETTINGS);
        CertificateAuthority ca = registry.find("sm2-root").orElseThrow();
        byte[] request = request(ca.certificate(), good);
        X509Certificate before = certificate(basic(responder.respond(request)).getCerts()[0]);

        clock.advance(VALIDITY.minusDays(10));
        assertThat(signers.renewDue(responder)).as("exactly a third left").isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(signers.renewDue(responder)).isEqualTo(1);

        BasicOCSPResp renewed = basic(responder.respond(request));
        X509Certificate after = certificate(renewed.getCerts()[0]);
        assertThat(after.getSerialNumber()).isNotEqualTo(before.getSerialNumber());
        assertThat(after.getNotAfter().toInstant()).isEqualTo(clock.instant().truncatedTo(ChronoUnit.SECONDS)
                .plus(VALIDITY));
        assertThat(renewed.isSignatureValid(verifier(after.getPublicKey()))).isTrue();
        assertThat(signers.renewDue(responder)).isZero();
        assertThat(signers(registry, clock).servedCas()).extracting(ServedCa::responderCertificate).contains(after);
        assertThat(keyStore().aliases()).filteredOn(alias -> alias.startsWith("sm2-root.ocsp.")).hasSize(2);
    }

    @Test
    void notRenewedWhenItAlreadyEndsWithTheCa() {
        MovableClock clock = new MovableClock(Instant.parse("2026-11-21T08:00:00Z"));
        CaRegistry registry = root(KeyAlgorithm.EC, clock);
        CertificateAuthority ca = registry.find("ec-root").orElseThrow();
        clock.advance(Duration.between(clock.instant(), ca.certificate().getNotAfter().toInstant()).minusDays(5));
        OcspSigners signers = signers(registry, clock);
        ServedCa served = signers.servedCas().get(0);
        assertThat(served.responderCertificate().getNotAfter()).isEqualTo(ca.certificate().getNotAfter());
        int issued = audit.ofType(AuditEventType.OCSP_RESPONDER_ISSUED).size();

        clock.advance(Duration.ofDays(1));
        signers.servedCas();

        assertThat(audit.ofType(AuditEventType.OCSP_RESPONDER_ISSUED)).hasSize(issued);
    }

    @Test
    void aServedCaRefusesAResponderTheCaDidNotCertifyForOcsp() throws Exception {
        MovableClock clock = new MovableClock(Instant.parse("2026-11-21T08:00:00Z"));
        CaRegistry registry = chain(KeyAlgorithm.EC, clock);
        CertificateAuthority root = registry.find("ec-root").orElseThrow();
        CertificateAuthority issuing = registry.find("ec-issuing").orElseThrow();
        ServedCa delegated = signers(registry, clock).servedCas().get(1);

        assertThatThrownBy(() -> new ServedCa("ec-root", root.certificate(), delegated.signer(),
                delegated.responderCertificate()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not by the CA");
        assertThatThrownBy(() -> new ServedCa("ec-root", root.certificate(), issuing.signer(), issuing.certificate()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id-kp-OCSPSigning");
        assertThatThrownBy(() -> new ServedCa("ec-issuing", issuing.certificate(), issuing.signer(),
                delegated.responderCertificate()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not hold the key");
    }

    /** OpenSSL, the independent client, accepts a delegated P-256 responder: chain, EKU and signature. */
    @Test
    void openSslVerifiesADelegatedP256Response() throws Exception {
        Assumptions.assumeTrue(OpenSsl.onPath(), "openssl is not on PATH");
        // OpenSSL checks the certificates against the real clock.
        Clock clock = Clock.fixed(Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60), ZoneOffset.UTC);
        CaRegistry registry = root(KeyAlgorithm.EC, clock);
        CertificateAuthority ca = registry.find("ec-root").orElseThrow();
        OcspResponder responder = OcspResponders.delegated(signers(registry, clock), statuses, clock, SETTINGS);
        Files.writeString(dir.resolve("ca.pem"), Pem.certificate(ca.certificate()), StandardCharsets.US_ASCII);
        String serial = "0x" + good.toString(16);

        OpenSsl.Result request = OpenSsl.run(dir, "ocsp", "-issuer", "ca.pem", "-serial", serial, "-no_nonce",
                "-reqout", "req.der");
        assertThat(request.exitCode()).as(request.toString()).isZero();
        Files.write(dir.resolve("resp.der"), responder.respond(Files.readAllBytes(dir.resolve("req.der"))));
        OpenSsl.Result result = OpenSsl.run(dir, "ocsp", "-respin", "resp.der", "-issuer", "ca.pem",
                "-serial", serial, "-CAfile", "ca.pem", "-no_nonce", "-resp_text");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.output()).as(result.toString()).contains("Response verify OK").contains(serial + ": good")
                .contains("OCSP Responder").doesNotContain("WARNING");
    }

    /** Only a root: tests keep to the CAs they need. */
    private CaRegistry root(KeyAlgorithm algorithm, Clock clock) {
        return bootstrap(clock, rootDefinition(algorithm));
    }

    private CaRegistry chain(KeyAlgorithm algorithm, Clock clock) {
        String prefix = prefix(algorithm);
        return bootstrap(clock, rootDefinition(algorithm), new CaDefinition(prefix + "-issuing", CaRole.ISSUING,
                algorithm, "CN=" + prefix + " Issuing,O=egov-pki,C=CN", Period.ofYears(20), prefix + "-root"));
    }

    private static CaDefinition rootDefinition(KeyAlgorithm algorithm) {
        String prefix = prefix(algorithm);
        return new CaDefinition(prefix + "-root", CaRole.ROOT, algorithm, "CN=" + prefix + " Root,O=egov-pki,C=CN",
                Period.ofYears(30), null);
    }

    private static String prefix(KeyAlgorithm algorithm) {
        return algorithm.name().toLowerCase(java.util.Locale.ROOT);
    }

    private CaRegistry bootstrap(Clock clock, CaDefinition... definitions) {
        InMemoryCaRepository repository = new InMemoryCaRepository();
        CrlPublisher crls = repository.publisher(audit, clock);
        return new CaBootstrap(keyStore(), new CaCertificateFactory(clock, random), repository, crls, new TestUrls(),
                audit, clock, random).bootstrap(List.of(definitions));
    }

    /**
     * The one key store every OcspSigners of a test sees, as a restart sees the same file. In memory: the
     * PKCS#12 file costs seconds per open and per put, and its round trip is Pkcs12CaKeyStoreTest's subject.
     */
    private CaKeyStore keyStore() {
        return keyStore;
    }

    private OcspSigners signers(CaRegistry registry, Clock clock) {
        return new OcspSigners(registry, keyStore(), new OcspSigningCertificates(clock, random), audit, clock, random,
                VALIDITY);
    }

    private static byte[] request(X509Certificate issuer, BigInteger serial) throws Exception {
        CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().setProvider(BouncyCastle.PROVIDER)
                .build().get(new AlgorithmIdentifier(OIWObjectIdentifiers.idSHA1)), new JcaX509CertificateHolder(issuer),
                serial);
        return new OCSPReqBuilder().addRequest(id).build().getEncoded();
    }

    private static BasicOCSPResp basic(byte[] der) throws Exception {
        OCSPResp response = new OCSPResp(der);
        assertThat(response.getStatus()).isZero();
        return (BasicOCSPResp) response.getResponseObject();
    }

    private static X509Certificate certificate(X509CertificateHolder holder) throws Exception {
        return new JcaX509CertificateConverter().setProvider(BouncyCastle.PROVIDER).getCertificate(holder);
    }

    private static ContentVerifierProvider verifier(PublicKey key) throws Exception {
        return new JcaContentVerifierProviderBuilder().setProvider(BouncyCastle.PROVIDER).build(key);
    }
}
