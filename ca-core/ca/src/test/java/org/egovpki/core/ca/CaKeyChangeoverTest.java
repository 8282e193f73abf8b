package org.egovpki.core.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CertificatePair;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.RevocationReason;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.CaKeyStore;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.enroll.EnrollmentRequest;
import org.egovpki.core.event.LifecycleEvents;
import org.egovpki.core.ocsp.CertificateStatusSource;
import org.egovpki.core.ocsp.OcspResponder;
import org.egovpki.core.ocsp.RevocationStatus;
import org.egovpki.core.x509.CaCertificateFactory;
import org.egovpki.core.x509.CrlFactory;
import org.egovpki.core.x509.KeyIdentifiers;
import org.egovpki.core.x509.OpenSsl;
import org.egovpki.core.x509.Pem;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Rolls a root and its issuing CA to new keys with live certificates under them, restarting
 * (re-bootstrapping from the same key store and directory) as the server does, and checks the old
 * chain, the new chain and the chains across the link certificates, the old key's CRL and OCSP
 * answers for what it issued, and every refusal. {@code ChangeoverCrlUrlsTest} follows each
 * certificate's CRL distribution point to its CRL.
 */
class CaKeyChangeoverTest {

    private static final Instant NOW = EnrollmentFixture.NOW;
    private static final char[] PASSWORD = "test-password".toCharArray();

    @TempDir
    Path dir;

    private final SecureRandom random = new SecureRandom();
    private final InMemoryCaRepository repository = new InMemoryCaRepository();
    private final RecordingAuditLog audit = new RecordingAuditLog();

    @Test
    void anSm2RootAndIssuingCaRollWithLiveCertificatesAndBothChainsVerifyInBouncyCastle() throws Exception {
        MovableClock clock = new MovableClock(NOW.minus(Duration.ofDays(1)));
        CaRegistry before = bootstrap(clock, KeyAlgorithm.SM2);
        CertificateAuthority oldRoot = before.find("sm2-root").orElseThrow();
        CertificateAuthority oldIssuing = before.find("sm2-issuing").orElseThrow();
        EnrollmentFixture f1 = new EnrollmentFixture(before);
        X509Certificate oldLeaf = issueDevice(f1);
        CertificateRecord revokedOld = f1.stores.certificates.get(key(f1, issueDevice(f1)));
        f1.revocations().revokeByOperator(EnrollmentFixture.RA_ADMIN, "sm2-issuing", revokedOld.serial(),
                RevocationReason.KEY_COMPROMISE, org.egovpki.core.revoke.Requester.APPROVING_BODY, null);

        // The root first; the next start makes its new key current, then the issuing CA under it.
        clock.set(NOW.plus(Duration.ofHours(1)));
        KeyChangeover rootChange = changeover(clock, before).roll("sm2-root", AuditEvent.SYSTEM);
        clock.advance(Duration.ofMinutes(1));
        CaRegistry middle = bootstrap(clock, KeyAlgorithm.SM2);
        clock.set(NOW.plus(Duration.ofHours(2)));
        KeyChangeover issuingChange = changeover(clock, middle).roll("sm2-issuing", AuditEvent.SYSTEM);
        clock.advance(Duration.ofMinutes(1));
        CaRegistry after = bootstrap(clock, KeyAlgorithm.SM2);

        CertificateAuthority newRoot = after.find("sm2-root").orElseThrow();
        CertificateAuthority newIssuing = after.find("sm2-issuing").orElseThrow();
        assertThat(newRoot.certificate()).isEqualTo(rootChange.newCertificate()).isNotEqualTo(oldRoot.certificate());
        assertThat(newRoot.certificate().getSubjectX500Principal()).isEqualTo(oldRoot.certificate().getSubjectX500Principal());
        assertThat(newRoot.certificate().getSerialNumber()).isNotEqualTo(oldRoot.certificate().getSerialNumber());
        assertThat(ski(newRoot.certificate())).isNotEqualTo(ski(oldRoot.certificate()));
        assertThat(newIssuing.certificate()).isEqualTo(issuingChange.newCertificate());
        assertThat(issuingChange.links()).as("an issuing CA's new key is certified by its parent, no links").isEmpty();
        assertThat(aki(newIssuing.certificate())).as("the new issuing CA is certified by the new root key")
                .isEqualTo(ski(newRoot.certificate()));
        assertThat(newRoot.retiredKeys()).extracting(RetiredCaKey::certificate).containsExactly(oldRoot.certificate());
        assertThat(newIssuing.retiredKeys()).extracting(RetiredCaKey::certificate)
                .containsExactly(oldIssuing.certificate());

        // RFC 4210 §4.4.1 validity of the links.
        X509Certificate newWithOld = rootChange.newWithOld();
        X509Certificate oldWithNew = rootChange.oldWithNew();
        assertThat(newWithOld.getPublicKey()).isEqualTo(newRoot.certificate().getPublicKey());
        newWithOld.verify(oldRoot.certificate().getPublicKey(), BouncyCastle.PROVIDER);
        assertThat(newWithOld.getNotBefore()).isEqualTo(newRoot.certificate().getNotBefore());
        assertThat(newWithOld.getNotAfter()).isEqualTo(oldRoot.certificate().getNotAfter());
        assertThat(oldWithNew.getPublicKey()).isEqualTo(oldRoot.certificate().getPublicKey());
        oldWithNew.verify(newRoot.certificate().getPublicKey(), BouncyCastle.PROVIDER);
        assertThat(oldWithNew.getNotBefore()).isEqualTo(oldRoot.certificate().getNotBefore());
        assertThat(oldWithNew.getNotAfter()).isEqualTo(oldRoot.certificate().getNotAfter());

        // New issuance is signed by the new issuing key, with its key identifier.
        EnrollmentFixture f2 = new EnrollmentFixture(after, f1.stores);
        f2.clock.set(NOW.plus(Duration.ofHours(3)));
        X509Certificate newLeaf = issueDevice(f2);
        assertThat(aki(newLeaf)).isEqualTo(ski(newIssuing.certificate())).isNotEqualTo(ski(oldIssuing.certificate()));

        Date at = Date.from(NOW.plus(Duration.ofHours(3)));
        validate(at, oldRoot.certificate(), oldLeaf, oldIssuing.certificate());
        validate(at, newRoot.certificate(), newLeaf, newIssuing.certificate());
        // Across the links: a relying party with only the old root reaches the new chain, and one
        // with only the new root still validates what the old keys issued.
        validate(at, oldRoot.certificate(), newLeaf, newIssuing.certificate(), newWithOld);
        validate(at, newRoot.certificate(), oldLeaf, oldIssuing.certificate(), oldWithNew);
        assertThatThrownBy(() -> validate(at, newRoot.certificate(), oldLeaf, oldIssuing.certificate()))
                .as("without the link the old chain does not reach the new root").isInstanceOf(Exception.class);

        // Published in the directory: both certificates on the entry, the links as a crossCertificatePair.
        assertThat(repository.caCertificates("sm2-root")).hasSize(2)
                .anySatisfy(der -> assertThat(der).isEqualTo(newRoot.certificate().getEncoded()))
                .anySatisfy(der -> assertThat(der).isEqualTo(oldRoot.certificate().getEncoded()));
        assertThat(repository.caCertificates("sm2-issuing")).hasSize(2);
        assertThat(repository.crossCertificatePairs("sm2-root")).hasSize(1);
        CertificatePair pair = CertificatePair.getInstance(
                org.bouncycastle.asn1.ASN1Primitive.fromByteArray(repository.crossCertificatePairs("sm2-root").get(0)));
        assertThat(pair.getForward().getEncoded()).isEqualTo(newWithOld.getEncoded());
        assertThat(pair.getReverse().getEncoded()).isEqualTo(oldWithNew.getEncoded());
        assertThat(repository.crossCertificatePairs("sm2-issuing")).isEmpty();
        assertThat(audit.ofType(AuditEventType.CA_KEY_CHANGEOVER)).extracting(e -> e.subjects().get(0))
                .containsExactly("sm2-root", "sm2-issuing");

        // CRLs: the old (first) key keeps signing the CA entry's, which its certificates name, listing
        // the revocation; the new key signs its own, which the new certificates name.
        clock.set(NOW.plus(Duration.ofHours(3)));
        CrlPublisher crls = new CrlPublisher(repository, f2.stores, new CrlFactory(clock), audit, clock,
                Duration.ofHours(24), new TestUrls(), LifecycleEvents.NONE);
        X509CRL oldKeyCrl = Pem.parseCrl(crls.issue(newIssuing, AuditEvent.SYSTEM).der());
        assertThat(newIssuing.retiredFirstKey()).map(RetiredCaKey::certificate).contains(oldIssuing.certificate());
        assertThat(repository.retiredKeyCrl("sm2-issuing", newIssuing.retiredKeys().get(0).keyIdHex()))
                .as("the first key's CRL is at the main URL only").isEmpty();
        Pem.parseCrl(repository.retiredKeyCrl("sm2-issuing", newIssuing.keyIdHex()).orElseThrow().der())
                .verify(newIssuing.certificate().getPublicKey(), BouncyCastle.PROVIDER);
        oldKeyCrl.verify(oldIssuing.certificate().getPublicKey(), BouncyCastle.PROVIDER);
        assertThat(crlAki(oldKeyCrl)).isEqualTo(ski(oldIssuing.certificate()));
        assertThat(oldKeyCrl.getIssuerX500Principal()).isEqualTo(oldIssuing.certificate().getSubjectX500Principal());
        assertThat(oldKeyCrl.getRevokedCertificate(revokedOld.serial())).isNotNull();
        assertThat(oldKeyCrl.isRevoked(oldLeaf)).isFalse();

        // OCSP: a CertID by the old key's hash is answered and signed by the old key, the new by the new.
        CertificateStatusSource statuses = new CaCertificateStatuses(after, repository, (issuer, serial) ->
                f2.stores.certificates.values().stream()
                        .filter(r -> r.issuer().equals(issuer) && r.serial().equals(serial)).findFirst()
                        .map(r -> r.revocation() == null ? RevocationStatus.good()
                                : RevocationStatus.revoked(r.revocation().time(), r.revocation().reason().rfc5280Code())));
        OcspResponder responder = OcspResponders.forCas(after, statuses, clock, Duration.ofHours(1));
        BasicOCSPResp oldAnswer = basic(responder.respond(ocspRequest(oldIssuing.certificate(), revokedOld.serial())));
        assertThat(oldAnswer.isSignatureValid(verifier(oldIssuing.certificate()))).isTrue();
        assertThat(oldAnswer.getResponses()[0].getCertStatus()).isInstanceOf(RevokedStatus.class);
        BasicOCSPResp newAnswer = basic(responder.respond(ocspRequest(newIssuing.certificate(),
                newLeaf.getSerialNumber())));
        assertThat(newAnswer.isSignatureValid(verifier(newIssuing.certificate()))).isTrue();
        assertThat(newAnswer.getResponses()[0].getCertStatus()).isNull();
        BasicOCSPResp oldIssuingAnswer = basic(responder.respond(ocspRequest(oldRoot.certificate(),
                oldIssuing.certificate().getSerialNumber())));
        assertThat(oldIssuingAnswer.isSignatureValid(verifier(oldRoot.certificate()))).as("the old root key answers "
                + "for the old issuing certificate").isTrue();
        assertThat(oldIssuingAnswer.getResponses()[0].getCertStatus()).isNull();
    }

    @Test
    void refusalsSayWhyAndChangeNothing() throws Exception {
        MovableClock clock = new MovableClock(NOW);
        CaRegistry registry = bootstrap(clock, KeyAlgorithm.EC);
        Set<String> aliases = keyStore().aliases();

        assertThatThrownBy(() -> changeover(clock, registry).roll("sm2-nope", AuditEvent.SYSTEM))
                .isInstanceOf(DomainException.class).hasMessageContaining("no CA named 'sm2-nope'")
                .extracting(e -> ((DomainException) e).kind()).isEqualTo(DomainException.Kind.NOT_FOUND);
        assertThatThrownBy(() -> changeover(clock, registry).roll("sm2-root", AuditEvent.SYSTEM))
                .isInstanceOf(DomainException.class).hasMessageContaining("the same instant");

        // An entry under the alias this changeover would take (an older key, put there by hand).
        clock.set(NOW.plus(Duration.ofHours(1)));
        String alias = CaKeyGenerations.alias("sm2-root", clock.instant());
        CaKeyStore store = keyStore();
        KeyPair stray = store.newKeyPair(KeyAlgorithm.EC);
        X509Certificate strayCert = new CaCertificateFactory(Clock.fixed(NOW.minus(Duration.ofDays(2)), ZoneOffset.UTC),
                random).selfSignedRoot(org.egovpki.core.x509.CaCertificateRequest.root("CN=stray,O=egov-pki,C=CN",
                Period.ofYears(1), "http://pki.test/stray"), store.signer(stray));
        store.put(alias, stray.getPrivate(), new X509Certificate[] {strayCert});
        Set<String> withStray = keyStore().aliases();
        assertThatThrownBy(() -> changeover(clock, registry).roll("sm2-root", AuditEvent.SYSTEM))
                .isInstanceOf(DomainException.class).hasMessageContaining("already has an entry '" + alias + "'");
        assertThat(keyStore().aliases()).isEqualTo(withStray);

        clock.advance(Duration.ofSeconds(1));
        changeover(clock, registry).roll("sm2-root", AuditEvent.SYSTEM);
        clock.advance(Duration.ofSeconds(1));
        Set<String> afterOne = keyStore().aliases();
        assertThatThrownBy(() -> changeover(clock, registry).roll("sm2-root", AuditEvent.SYSTEM))
                .isInstanceOf(DomainException.class).hasMessageContaining("already made")
                .hasMessageContaining("next start");
        assertThat(keyStore().aliases()).isEqualTo(afterOne).hasSize(withStray.size() + 1);

        registry.markRevoked("sm2-issuing");
        assertThatThrownBy(() -> changeover(clock, registry).roll("sm2-issuing", AuditEvent.SYSTEM))
                .isInstanceOf(DomainException.class).hasMessageContaining("is revoked");
        assertThat(keyStore().aliases()).isEqualTo(afterOne);
        assertThat(aliases).doesNotContain(alias);

        List<AuditEvent> audited = audit.ofType(AuditEventType.CA_KEY_CHANGEOVER);
        assertThat(audited).extracting(AuditEvent::outcome).extracting(Enum::name)
                .containsExactly("FAILURE", "FAILURE", "FAILURE", "SUCCESS", "FAILURE", "FAILURE");
    }

    /** OpenSSL, the independent verifier, for the ECDSA and RSA chains: old, new and across the links. */
    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"EC", "RSA"})
    void openSslVerifiesTheOldTheNewAndTheLinkedChains(KeyAlgorithm algorithm) throws Exception {
        Assumptions.assumeTrue(OpenSsl.onPath(), "openssl is not on PATH");
        // OpenSSL checks validity against the real clock.
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(120);
        MovableClock clock = new MovableClock(start);
        CaRegistry before = bootstrap(clock, algorithm);
        clock.advance(Duration.ofSeconds(30));
        KeyChangeover root = changeover(clock, before).roll("sm2-root", AuditEvent.SYSTEM);
        clock.advance(Duration.ofSeconds(1));
        CaRegistry middle = bootstrap(clock, algorithm);
        clock.advance(Duration.ofSeconds(30));
        KeyChangeover issuing = changeover(clock, middle).roll("sm2-issuing", AuditEvent.SYSTEM);

        write("old-root.pem", root.oldCertificate());
        write("new-root.pem", root.newCertificate());
        write("new-with-old.pem", root.newWithOld());
        write("old-with-new.pem", root.oldWithNew());
        write("old-issuing.pem", issuing.oldCertificate());
        write("new-issuing.pem", issuing.newCertificate());

        verifyOk("-CAfile", "old-root.pem", "old-issuing.pem");
        verifyOk("-CAfile", "new-root.pem", "new-issuing.pem");
        verifyOk("-CAfile", "old-root.pem", "-untrusted", "new-with-old.pem", "new-issuing.pem");
        verifyOk("-CAfile", "new-root.pem", "-untrusted", "old-with-new.pem", "old-issuing.pem");
        OpenSsl.Result unlinked = OpenSsl.run(dir, "verify", "-CAfile", "new-root.pem", "old-issuing.pem");
        assertThat(unlinked.exitCode()).as(unlinked.toString()).isNotZero();
    }

    private void verifyOk(String... arguments) {
        String[] command = new String[arguments.length + 1];
        command[0] = "verify";
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        OpenSsl.Result result = OpenSsl.run(dir, command);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.output()).as(result.toString()).contains(": OK");
    }

    private void write(String name, X509Certificate certificate) throws Exception {
        Files.writeString(dir.resolve(name), Pem.certificate(certificate), StandardCharsets.US_ASCII);
    }

    /** 002 §7.2.1.1: a CA key is updated under multi-person control, here two different CA admins. */
    @Test
    void aChangeoverAskedByOneCaAdminIsOnlyProposedAndMadeWhenASecondConfirms() throws Exception {
        MovableClock clock = new MovableClock(NOW);
        CaRegistry registry = bootstrap(clock, KeyAlgorithm.EC);
        clock.set(NOW.plus(Duration.ofHours(1)));
        CaKeyChangeover changeover = changeover(clock, registry);
        Set<String> aliases = keyStore().aliases();
        org.egovpki.core.operator.Operator first = caAdmin("ca1");

        CaKeyChangeover.Outcome proposed = changeover.roll(first, "sm2-root");
        assertThat(proposed.done()).isFalse();
        assertThat(proposed.proposal().proposerDn()).isEqualTo(first.dn());
        assertThat(keyStore().aliases()).as("no key made for a proposal").isEqualTo(aliases);
        assertThatThrownBy(() -> changeover.roll(caAdmin("CA1"), "sm2-root")).isInstanceOf(DomainException.class)
                .hasMessageContaining("proposed by you").extracting(e -> ((DomainException) e).kind())
                .isEqualTo(DomainException.Kind.CONFLICT);
        assertThat(keyStore().aliases()).isEqualTo(aliases);

        CaKeyChangeover.Outcome made = changeover.roll(caAdmin("ca2"), "sm2-root");
        assertThat(made.done()).isTrue();
        assertThat(keyStore().aliases()).hasSize(aliases.size() + 1).contains(made.changeover().alias());
        AuditEvent event = audit.ofType(AuditEventType.CA_KEY_CHANGEOVER).stream()
                .filter(e -> e.outcome() == org.egovpki.core.audit.AuditOutcome.SUCCESS).findFirst().orElseThrow();
        assertThat(event.actor()).isEqualTo(caAdmin("ca2").dn());
        assertThat(event.details()).containsEntry("proposedBy", first.dn());
        assertThat(audit.ofType(AuditEventType.CA_OPERATION_PROPOSED)).hasSize(2); // the proposal, the refusal
    }

    private static org.egovpki.core.operator.Operator caAdmin(String uid) {
        return new org.egovpki.core.operator.Operator(uid, "uid=" + uid + ",ou=operators,o=egov-pki,c=CN", uid,
                java.util.EnumSet.of(org.egovpki.core.operator.Role.CA_ADMIN));
    }

    private CaRegistry bootstrap(Clock clock, KeyAlgorithm algorithm) {
        CrlPublisher crls = repository.publisher(audit, clock);
        return new CaBootstrap(keyStore(), new CaCertificateFactory(clock, random), repository, crls, new TestUrls(),
                audit, clock, random).bootstrap(List.of(
                new CaDefinition("sm2-root", CaRole.ROOT, algorithm, "CN=Test Root,O=egov-pki,C=CN",
                        Period.ofYears(30), null),
                new CaDefinition("sm2-issuing", CaRole.ISSUING, algorithm, "CN=Test Issuing,O=egov-pki,C=CN",
                        Period.ofYears(20), "sm2-root")));
    }

    private CaKeyChangeover changeover(Clock clock, CaRegistry registry) {
        return new CaKeyChangeover(keyStore(), new CaCertificateFactory(clock, random), registry, repository,
                new TestUrls(), audit, clock, new SecondCaAdmin(audit, clock));
    }

    /** A fresh view of the key store file each time, as after a restart. */
    private CaKeyStore keyStore() {
        return CaKeyStore.openOrCreate(dir.resolve("ca.p12"), PASSWORD);
    }

    private static X509Certificate issueDevice(EnrollmentFixture f) {
        EnrollmentRequest issued = f.service().submit(EnrollmentFixture.RA_ADMIN,
                EnrollmentFixture.device("host" + f.random.nextInt(1_000_000) + ".gov.test", f.sm2()));
        CertificateRecord record = f.stores.findByRequest(issued.id()).get(0);
        return Pem.parseCertificate(record.certificateDer());
    }

    private static String key(EnrollmentFixture f, X509Certificate certificate) {
        return f.stores.certificates.entrySet().stream()
                .filter(e -> e.getValue().serial().equals(certificate.getSerialNumber())).findFirst().orElseThrow()
                .getKey();
    }

    private static void validate(Date at, X509Certificate anchor, X509Certificate... path) throws Exception {
        CertificateFactory factory = CertificateFactory.getInstance("X.509", BouncyCastle.PROVIDER);
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
        parameters.setRevocationEnabled(false);
        parameters.setDate(at);
        CertPathValidator.getInstance("PKIX", BouncyCastle.PROVIDER)
                .validate(factory.generateCertPath(Arrays.asList(path)), parameters);
    }

    private static byte[] ski(X509Certificate certificate) {
        return KeyIdentifiers.subjectKeyIdentifier(certificate.getPublicKey());
    }

    private static byte[] aki(X509Certificate certificate) {
        byte[] extension = certificate.getExtensionValue(Extension.authorityKeyIdentifier.getId());
        return AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(extension).getOctets()).getKeyIdentifier();
    }

    private static byte[] crlAki(X509CRL crl) {
        byte[] extension = crl.getExtensionValue(Extension.authorityKeyIdentifier.getId());
        return AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(extension).getOctets()).getKeyIdentifier();
    }

    private static byte[] ocspRequest(X509Certificate issuer, BigInteger serial) throws Exception {
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

    private static org.bouncycastle.operator.ContentVerifierProvider verifier(X509Certificate certificate)
            throws Exception {
        return new JcaContentVerifierProviderBuilder().setProvider(BouncyCastle.PROVIDER).build(certificate);
    }
}
