package org.egovpki.core.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.List;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.CaKeyStore;
import org.egovpki.core.crypto.InMemoryCaKeyStore;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.x509.CaCertificateFactory;
import org.egovpki.core.x509.CrlFactory;
import org.egovpki.core.x509.Pem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CaBootstrapTest {

    private static final Instant NOW = Instant.parse("2026-11-21T08:00:00Z");

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final SecureRandom random = new SecureRandom();
    private final CaKeyStore keyStore = new InMemoryCaKeyStore(random);
    private InMemoryCaRepository repository;
    private RecordingAuditLog audit;

    @BeforeEach
    void setUp() {
        repository = new InMemoryCaRepository();
        audit = new RecordingAuditLog();
    }

    /**
     * A start on the test's one key store, as every start of a server opens the same file. In memory: the PKCS#12
     * file costs seconds per open and per put, and its round trip is Pkcs12CaKeyStoreTest's subject.
     */
    private CaBootstrap bootstrap() {
        return bootstrap(keyStore);
    }

    private CaBootstrap bootstrap(CaKeyStore keyStore) {
        CrlPublisher crls = repository.publisher(audit, clock);
        return new CaBootstrap(keyStore, new CaCertificateFactory(clock, random), repository, crls, new TestUrls(),
                audit, clock, random);
    }

    private static List<CaDefinition> chain(KeyAlgorithm algorithm, String prefix) {
        return List.of(
                new CaDefinition(prefix + "-root", CaRole.ROOT, algorithm, "CN=" + prefix + " Root,O=egov-pki,C=CN",
                        Period.ofYears(30), null),
                new CaDefinition(prefix + "-issuing", CaRole.ISSUING, algorithm,
                        "CN=" + prefix + " Issuing,O=egov-pki,C=CN", Period.ofYears(20), prefix + "-root"));
    }

    @Test
    void aPublishedCaWhoseKeyIsMissingIsRefusedNotSilentlyReplaced() throws Exception {
        CaRegistry first = bootstrap().bootstrap(chain(KeyAlgorithm.EC, "ec"));
        CaRecord published = repository.find("ec-root").orElseThrow();
        // The key store is lost (or the token is another one): a new, empty store before the same directory.
        CaKeyStore emptyStore = new InMemoryCaKeyStore(random);
        int audited = audit.events.size();

        assertThatThrownBy(() -> bootstrap(emptyStore).bootstrap(chain(KeyAlgorithm.EC, "ec")))
                .isInstanceOf(DomainException.class)
                .hasMessageContaining("CA 'ec-root' is published in the directory")
                .hasMessageContaining(published.serialHex())
                .hasMessageContaining("has no key for it")
                .hasMessageContaining("new name");
        assertThat(repository.find("ec-root").orElseThrow().sha256Fingerprint())
                .as("the published CA is left as it was").isEqualTo(published.sha256Fingerprint());
        assertThat(audit.events).as("no CA was created").hasSize(audited);
        assertThat(first.find("ec-root")).isPresent();
    }

    @Test
    void firstStartCreatesAnSm2ChainPublishesItAndItsCrls() throws Exception {
        CaRegistry registry = bootstrap().bootstrap(chain(KeyAlgorithm.SM2, "sm2"));

        CertificateAuthority root = registry.find("sm2-root").orElseThrow();
        CertificateAuthority issuing = registry.find("sm2-issuing").orElseThrow();
        issuing.certificate().verify(root.certificate().getPublicKey(), BouncyCastle.PROVIDER);
        assertThat(issuing.chain()).containsExactly(issuing.certificate(), root.certificate());
        assertThat(repository.findAll()).extracting(CaRecord::name).containsExactly("sm2-issuing", "sm2-root");
        assertThat(repository.find("sm2-issuing").orElseThrow().parent()).isEqualTo("sm2-root");

        for (String name : List.of("sm2-root", "sm2-issuing")) {
            CrlRecord crl = repository.currentCrl(name).orElseThrow();
            assertThat(crl.crlNumber()).isEqualTo(BigInteger.ONE);
            assertThat(crl.nextUpdate()).isEqualTo(NOW.plus(Duration.ofHours(24)));
            X509CRL parsed = Pem.parseCrl(crl.der());
            parsed.verify(registry.find(name).orElseThrow().certificate().getPublicKey(), BouncyCastle.PROVIDER);
        }
        assertThat(audit.ofType(AuditEventType.CA_CREATED)).extracting(e -> e.subjects().get(0))
                .containsExactly("sm2-root", "sm2-issuing");
    }

    @Test
    void aRestartReusesTheSameCasAndDoesNotReissueFreshCrls() {
        CaRegistry first = bootstrap().bootstrap(chain(KeyAlgorithm.SM2, "sm2"));
        int savesAfterFirst = repository.saves;
        int crlsAfterFirst = repository.published.size();

        CaRegistry second = bootstrap().bootstrap(chain(KeyAlgorithm.SM2, "sm2"));

        for (String name : List.of("sm2-root", "sm2-issuing")) {
            X509Certificate before = first.find(name).orElseThrow().certificate();
            assertThat(second.find(name).orElseThrow().certificate()).isEqualTo(before);
        }
        assertThat(repository.saves).isEqualTo(savesAfterFirst);
        assertThat(repository.published).hasSize(crlsAfterFirst);
        assertThat(audit.ofType(AuditEventType.CA_CREATED)).hasSize(2);
    }

    @Test
    void aCaInTheKeyStoreButMissingFromTheDirectoryIsRepublished() {
        CaRegistry first = bootstrap().bootstrap(chain(KeyAlgorithm.EC, "ec"));
        // a crash after the key store write, before the directory writes: the directory knows nothing
        repository.cas.clear();
        repository.crls.clear();

        CaRegistry second = bootstrap().bootstrap(chain(KeyAlgorithm.EC, "ec"));

        assertThat(second.find("ec-root").orElseThrow().certificate())
                .isEqualTo(first.find("ec-root").orElseThrow().certificate());
        assertThat(repository.find("ec-root")).isPresent();
        assertThat(repository.currentCrl("ec-issuing")).isPresent();
    }

    @Test
    void aCrlCloseToItsNextUpdateIsReissuedAtStartWithTheNextNumber() {
        bootstrap().bootstrap(chain(KeyAlgorithm.SM2, "sm2"));
        Clock later = Clock.fixed(NOW.plus(Duration.ofHours(23).plusMinutes(30)), ZoneOffset.UTC);
        CrlPublisher crls = repository.publisher(audit, later);
        new CaBootstrap(keyStore, new CaCertificateFactory(later, random), repository, crls, new TestUrls(), audit,
                later, random).bootstrap(chain(KeyAlgorithm.SM2, "sm2"));

        // #1 and its delta #2 at the first start; the reissued CRL is #3.
        assertThat(repository.currentCrl("sm2-issuing").orElseThrow().crlNumber()).isEqualTo(BigInteger.valueOf(3));
    }

    @Test
    void changingTheAlgorithmOfAnExistingCaIsRefusedWithoutTouchingIt() {
        bootstrap().bootstrap(chain(KeyAlgorithm.SM2, "main"));
        int saves = repository.saves;

        assertThatThrownBy(() -> bootstrap().bootstrap(chain(KeyAlgorithm.RSA, "main")))
                .isInstanceOf(DomainException.class)
                .hasMessageContaining("'main-root' already exists in the key store with a SM2 key")
                .hasMessageContaining("configuration says RSA");
        assertThat(repository.saves).isEqualTo(saves);
    }

    @Test
    void aChildDefinedBeforeItsParentIsRefused() {
        List<CaDefinition> wrongOrder = List.of(chain(KeyAlgorithm.SM2, "x").get(1), chain(KeyAlgorithm.SM2, "x").get(0));

        assertThatThrownBy(() -> bootstrap().bootstrap(wrongOrder))
                .hasMessageContaining("'x-issuing' names parent 'x-root', which is not defined before it");
        assertThat(repository.findAll()).isEmpty();
    }

    @Test
    void crlNumbersStrictlyIncreaseAndALostRaceIsRetriedWithTheNextNumber() {
        CaRegistry registry = bootstrap().bootstrap(chain(KeyAlgorithm.SM2, "sm2"));
        CertificateAuthority issuing = registry.find("sm2-issuing").orElseThrow();
        CrlPublisher crls = repository.publisher(audit, clock);

        CrlRecord second = crls.issue(issuing, "test");
        repository.racesToLose.set(1);
        CrlRecord afterRace = crls.issue(issuing, "test");

        // #1 and its delta #2 at start-up, so the second full CRL is #3 (delta #4)
        assertThat(second.crlNumber()).isEqualTo(BigInteger.valueOf(3));
        // the other writer took #4 for its full CRL; ours is #5, never a reused number
        assertThat(afterRace.crlNumber()).isEqualTo(BigInteger.valueOf(5));
        assertThat(Pem.parseCrl(afterRace.der()).getExtensionValue("2.5.29.20")).isNotNull();
    }

    @Test
    void aWriterThatKeepsLosingGivesUpWithAConflict() {
        CaRegistry registry = bootstrap().bootstrap(chain(KeyAlgorithm.EC, "ec"));
        CrlPublisher crls = repository.publisher(audit, clock);
        repository.racesToLose.set(100);

        assertThatThrownBy(() -> crls.issue(registry.find("ec-root").orElseThrow(), "test"))
                .isInstanceOf(DomainException.class)
                .extracting(e -> ((DomainException) e).kind()).isEqualTo(DomainException.Kind.CONFLICT);
    }
}
