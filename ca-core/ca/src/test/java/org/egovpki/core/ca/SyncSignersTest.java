package org.egovpki.core.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.x509.Extension;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.CaKeyStore;
import org.egovpki.core.crypto.InMemoryCaKeyStore;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.x509.CaCertificateFactory;
import org.egovpki.core.x509.SerialNumbers;
import org.egovpki.core.x509.SyncSigningCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Sync-signing keys: certified by each CA, kept in its key store, audited, reused, renewed at two thirds, retired. */
class SyncSignersTest {

    static final Duration VALIDITY = Duration.ofDays(30);
    static final String SYNC_SIGNING = "2.25.181821722204100531762351466650690192293.9.1";

    private final SecureRandom random = new SecureRandom();
    private final CaKeyStore keyStore = new InMemoryCaKeyStore(random);
    private final RecordingAuditLog audit = new RecordingAuditLog();

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void eachCaCertifiesItsOwnSyncSignerAndAuditsItFirst(KeyAlgorithm algorithm) throws Exception {
        MovableClock clock = new MovableClock(Instant.parse("2026-11-21T08:00:00Z"));
        CaRegistry registry = chain(algorithm, clock);
        SyncSigners signers = signers(registry, clock);

        List<X509Certificate> certified = signers.certifyAll();

        assertThat(certified).hasSize(2);
        List<AuditEvent> issued = audit.ofType(AuditEventType.SYNC_SIGNER_ISSUED);
        assertThat(issued).hasSize(2);
        for (CertificateAuthority ca : registry.all()) {
            List<X509Certificate> chain = signers.chain(ca.name());
            X509Certificate signer = chain.get(0);
            assertThat(chain.subList(1, chain.size())).containsExactlyElementsOf(ca.chain());
            signer.verify(ca.certificate().getPublicKey(), BouncyCastle.PROVIDER);
            assertThat(signer.getSigAlgOID()).isEqualTo(ca.certificate().getSigAlgOID());
            assertThat(KeyAlgorithm.of(signer.getPublicKey())).isEqualTo(algorithm);
            assertThat(signer.getPublicKey()).isNotEqualTo(ca.certificate().getPublicKey());
            assertThat(signer.getSubjectX500Principal().getName()).isEqualTo("CN=" + ca.name() + " sync signer,O=egov-pki,C=CN");
            assertThat(signer.getExtendedKeyUsage()).containsExactly(SYNC_SIGNING);
            assertThat(signer.getCriticalExtensionOIDs()).containsExactly(Extension.keyUsage.getId());
            assertThat(signer.getKeyUsage()[0]).as("digitalSignature").isTrue();
            assertThat(signer.getNotAfter()).isEqualTo(Date.from(clock.instant().plus(VALIDITY)));

            String serial = SerialNumbers.toHex(signer.getSerialNumber());
            AuditEvent event = issued.stream().filter(e -> e.subjects().contains(ca.name())).findFirst().orElseThrow();
            assertThat(event.subjects()).containsExactly(ca.name(), serial);
            assertThat(event.details()).containsEntry("algorithm", algorithm.name())
                    .containsEntry("notAfter", signer.getNotAfter().toInstant().toString())
                    .containsKey("sha256");
            String alias = event.details().get("keyStoreAlias");
            assertThat(alias).isEqualTo(ca.name() + ".sync.20261121t080000");
            assertThat(keyStore().chain(alias)).containsExactlyElementsOf(chain);
        }
    }

    @Test
    void aRestartReusesTheStoredSignerInsteadOfCertifyingAnother() {
        MovableClock clock = new MovableClock(Instant.parse("2026-11-21T08:00:00Z"));
        CaRegistry registry = root(KeyAlgorithm.EC, clock);
        List<X509Certificate> first = signers(registry, clock).certifyAll();
        clock.advance(Duration.ofDays(15));

        List<X509Certificate> afterRestart = signers(registry, clock).certifyAll();

        assertThat(afterRestart).containsExactlyElementsOf(first);
        assertThat(audit.ofType(AuditEventType.SYNC_SIGNER_ISSUED)).hasSize(1);
    }

    @Test
    void renewedWithANewKeyOnceLessThanAThirdIsLeftAndTheNewestWinsAfterARestart() {
        MovableClock clock = new MovableClock(Instant.parse("2026-11-21T08:00:00Z"));
        CaRegistry registry = root(KeyAlgorithm.SM2, clock);
        SyncSigners signers = signers(registry, clock);
        X509Certificate before = signers.certifyAll().get(0);

        clock.advance(VALIDITY.minusDays(10));
        assertThat(signers.renewDue()).as("exactly a third left").isZero();
        assertThat(signers.chain("sm2-root").get(0)).isEqualTo(before);
        clock.advance(Duration.ofSeconds(1));
        assertThat(signers.renewDue()).isEqualTo(1);

        X509Certificate after = signers.chain("sm2-root").get(0);
        assertThat(after.getSerialNumber()).isNotEqualTo(before.getSerialNumber());
        assertThat(after.getPublicKey()).isNotEqualTo(before.getPublicKey());
        assertThat(after.getNotAfter().toInstant())
                .isEqualTo(clock.instant().truncatedTo(ChronoUnit.SECONDS).plus(VALIDITY));
        assertThat(signers.renewDue()).isZero();
        assertThat(audit.ofType(AuditEventType.SYNC_SIGNER_ISSUED)).hasSize(2);
        assertThat(signers(registry, clock).certifyAll()).containsExactly(after);
        assertThat(keyStore().aliases()).filteredOn(alias -> alias.startsWith("sm2-root.sync.")).hasSize(2);
    }

    @Test
    void neverSignsWithAnExpiredCertificateEvenWhenNoRenewalRan() {
        MovableClock clock = new MovableClock(Instant.parse("2026-11-21T08:00:00Z"));
        CaRegistry registry = root(KeyAlgorithm.EC, clock);
        SyncSigners signers = signers(registry, clock);
        X509Certificate before = signers.certifyAll().get(0);

        clock.advance(VALIDITY);
        SyncSigningKey key = signers.current("ec-root");

        assertThat(key.certificate()).isNotEqualTo(before);
        assertThat(key.certificate().getNotAfter().toInstant()).isAfter(clock.instant());
    }

    @Test
    void notRenewedWhenItAlreadyEndsWithTheCa() {
        MovableClock clock = new MovableClock(Instant.parse("2026-11-21T08:00:00Z"));
        CaRegistry registry = root(KeyAlgorithm.EC, clock);
        CertificateAuthority ca = registry.find("ec-root").orElseThrow();
        clock.advance(Duration.between(clock.instant(), ca.certificate().getNotAfter().toInstant()).minusDays(5));
        SyncSigners signers = signers(registry, clock);
        assertThat(signers.certifyAll().get(0).getNotAfter()).isEqualTo(ca.certificate().getNotAfter());

        clock.advance(Duration.ofDays(1));

        assertThat(signers.renewDue()).isZero();
        assertThat(audit.ofType(AuditEventType.SYNC_SIGNER_ISSUED)).hasSize(1);
    }

    @Test
    void renewNowRetiresTheKeyAtOnce() {
        MovableClock clock = new MovableClock(Instant.parse("2026-11-21T08:00:00Z"));
        CaRegistry registry = root(KeyAlgorithm.EC, clock);
        SyncSigners signers = signers(registry, clock);
        X509Certificate before = signers.certifyAll().get(0);

        X509Certificate replacement = signers.renewNow("ec-root");

        assertThat(replacement.getPublicKey()).isNotEqualTo(before.getPublicKey());
        assertThat(signers.chain("ec-root").get(0)).isEqualTo(replacement);
        assertThat(signers(registry, clock).certifyAll()).containsExactly(replacement);
        assertThat(audit.ofType(AuditEventType.SYNC_SIGNER_ISSUED)).hasSize(2);
    }

    @Test
    void aRestartKeepsTheKeyRetiredEvenWhenItsReplacementHasTheSameValidityPeriod() {
        // Same clock second, same notBefore and notAfter: only the alias suffix (-2, -3, -4) orders them.
        MovableClock clock = new MovableClock(Instant.parse("2026-11-21T08:00:00Z"));
        CaRegistry registry = root(KeyAlgorithm.EC, clock);
        SyncSigners signers = signers(registry, clock);
        signers.certifyAll();
        X509Certificate last = null;
        for (int i = 0; i < 3; i++) {
            last = signers.renewNow("ec-root");
        }

        assertThat(signers(registry, clock).certifyAll()).containsExactly(last);
        assertThat(audit.ofType(AuditEventType.SYNC_SIGNER_ISSUED)).hasSize(4);
    }

    @Test
    void refusesAnUnknownCaAndAValidityOutOfRange() {
        MovableClock clock = new MovableClock(Instant.parse("2026-11-21T08:00:00Z"));
        CaRegistry registry = root(KeyAlgorithm.EC, clock);
        SyncSigners signers = signers(registry, clock);

        assertThatThrownBy(() -> signers.chain("no-such-ca"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no-such-ca").hasMessageContaining("ec-root");
        assertThatThrownBy(() -> signers.renewNow("no-such-ca")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SyncSigners(registry, keyStore(), new SyncSigningCertificates(clock, random), audit,
                clock, random, Duration.ofDays(367)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sync.signerValidityDays");
        assertThat(audit.ofType(AuditEventType.SYNC_SIGNER_ISSUED)).isEmpty();
    }

    /** Only a root: tests keep to the CAs they need. */
    CaRegistry root(KeyAlgorithm algorithm, Clock clock) {
        return bootstrap(clock, rootDefinition(algorithm));
    }

    CaRegistry chain(KeyAlgorithm algorithm, Clock clock) {
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
        return algorithm.name().toLowerCase(Locale.ROOT);
    }

    private CaRegistry bootstrap(Clock clock, CaDefinition... definitions) {
        InMemoryCaRepository repository = new InMemoryCaRepository();
        CrlPublisher crls = repository.publisher(audit, clock);
        return new CaBootstrap(keyStore(), new CaCertificateFactory(clock, random), repository, crls, new TestUrls(),
                audit, clock, random).bootstrap(List.of(definitions));
    }

    /**
     * The one key store every SyncSigners of a test sees, as a restart sees the same file. In memory: the
     * PKCS#12 file costs seconds per open and per put, and its round trip is Pkcs12CaKeyStoreTest's subject.
     */
    CaKeyStore keyStore() {
        return keyStore;
    }

    SyncSigners signers(CaRegistry registry, Clock clock) {
        return new SyncSigners(registry, keyStore(), new SyncSigningCertificates(clock, random), audit, clock, random,
                VALIDITY);
    }
}
