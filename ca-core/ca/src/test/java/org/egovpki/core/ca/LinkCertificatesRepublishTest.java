package org.egovpki.core.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Period;
import java.util.List;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.CaKeyStore;
import org.egovpki.core.crypto.InMemoryCaKeyStore;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.x509.CaCertificateFactory;
import org.junit.jupiter.api.Test;

/**
 * A root's link certificates are written to the directory once, right after the new key went into
 * the key store; if that write fails the changeover says the key is stored, the next start makes
 * and publishes the certificates and links from the keys in service, and a start that finds them
 * changes nothing.
 */
class LinkCertificatesRepublishTest {

    private final SecureRandom random = new SecureRandom();
    private final InMemoryCaRepository repository = new InMemoryCaRepository();
    private final RecordingAuditLog audit = new RecordingAuditLog();
    private final CaKeyStore keyStore = new InMemoryCaKeyStore(random);

    @Test
    void aStartRepublishesTheLinksTheDirectoryLostAndLeavesPublishedOnesAlone() throws Exception {
        MovableClock clock = new MovableClock(EnrollmentFixture.NOW);
        CaRegistry before = bootstrap(clock);
        X509Certificate oldRoot = before.find("sm2-root").orElseThrow().certificate();
        clock.advance(Duration.ofHours(1));
        repository.failNextKeyHistory = new DomainException(DomainException.Kind.UNAVAILABLE, "directory down");
        assertThatThrownBy(() -> new CaKeyChangeover(keyStore, new CaCertificateFactory(clock, random), before,
                repository, new TestUrls(), audit, clock, new SecondCaAdmin(audit, clock)).roll("sm2-root", AuditEvent.SYSTEM))
                .isInstanceOf(DomainException.class).hasMessageContaining("is stored as 'sm2-root.key.")
                .hasMessageContaining("directory down").hasMessageContaining("the next start publishes them");
        assertThat(repository.crossCertificatePairs("sm2-root")).isEmpty();
        assertThat(repository.caCertificates("sm2-root")).singleElement().isEqualTo(oldRoot.getEncoded());

        clock.advance(Duration.ofMinutes(1));
        CaRegistry after = bootstrap(clock);
        X509Certificate newRoot = after.find("sm2-root").orElseThrow().certificate();
        assertThat(newRoot).isNotEqualTo(oldRoot);
        List<byte[]> pairs = repository.crossCertificatePairs("sm2-root");
        assertThat(pairs).hasSize(1);
        List<X509Certificate> links = CaKeyHistory.linkCertificates(pairs);
        X509Certificate newWithOld = links.get(0);
        X509Certificate oldWithNew = links.get(1);
        assertThat(newWithOld.getPublicKey()).isEqualTo(newRoot.getPublicKey());
        newWithOld.verify(oldRoot.getPublicKey(), BouncyCastle.PROVIDER);
        assertThat(newWithOld.getNotBefore()).isEqualTo(newRoot.getNotBefore());
        assertThat(newWithOld.getNotAfter()).isEqualTo(oldRoot.getNotAfter());
        assertThat(oldWithNew.getPublicKey()).isEqualTo(oldRoot.getPublicKey());
        oldWithNew.verify(newRoot.getPublicKey(), BouncyCastle.PROVIDER);
        assertThat(oldWithNew.getNotBefore()).isEqualTo(oldRoot.getNotBefore());
        assertThat(oldWithNew.getNotAfter()).isEqualTo(oldRoot.getNotAfter());
        assertThat(repository.caCertificates("sm2-root")).hasSize(2);
        assertThat(audit.ofType(AuditEventType.CA_PUBLISHED)).filteredOn(e -> "republished".equals(
                e.details().get("links"))).hasSize(1);

        // Found at the next start: nothing made again.
        clock.advance(Duration.ofMinutes(1));
        bootstrap(clock);
        assertThat(repository.crossCertificatePairs("sm2-root")).containsExactlyElementsOf(pairs);
        assertThat(audit.ofType(AuditEventType.CA_PUBLISHED)).filteredOn(e -> "republished".equals(
                e.details().get("links"))).hasSize(1);
        assertThat(repository.crossCertificatePairs("sm2-issuing")).as("an issuing CA has no links").isEmpty();
    }

    private CaRegistry bootstrap(Clock clock) {
        return new CaBootstrap(keyStore, new CaCertificateFactory(clock, random), repository,
                repository.publisher(audit, clock), new TestUrls(), audit, clock, random).bootstrap(List.of(
                new CaDefinition("sm2-root", CaRole.ROOT, KeyAlgorithm.SM2, "CN=Test Root,O=egov-pki,C=CN",
                        Period.ofYears(30), null),
                new CaDefinition("sm2-issuing", CaRole.ISSUING, KeyAlgorithm.SM2, "CN=Test Issuing,O=egov-pki,C=CN",
                        Period.ofYears(20), "sm2-root")));
    }
}
