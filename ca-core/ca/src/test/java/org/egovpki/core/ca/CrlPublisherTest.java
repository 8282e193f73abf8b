package org.egovpki.core.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;
import org.egovpki.core.DomainException;
import org.egovpki.core.certificate.RevokedCertificates;
import org.egovpki.core.certificate.RevokedSelection;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.x509.CrlFactory;
import org.egovpki.core.x509.Pem;
import org.egovpki.core.x509.RevokedEntry;
import org.egovpki.core.event.CaRevoked;
import org.egovpki.core.event.LifecycleEvents;
import org.junit.jupiter.api.BeforeAll;
import org.egovpki.core.event.CaRevoked;
import org.egovpki.core.event.LifecycleEvents;
import org.junit.jupiter.api.Test;
import org.egovpki.core.event.CaRevoked;
import org.egovpki.core.event.LifecycleEvents;

class CrlPublisherTest {

    private static final int PARTITIONS = 3;


    private static CertificateAuthority ca;
    private static CaRegistry registry;

    private final MovableClock clock = new MovableClock(EnrollmentFixture.NOW);
    private final InMemoryCaRepository repository = new InMemoryCaRepository();
    private final List<Revoked> revoked = new ArrayList<>();
    private final List<RevokedSelection> selections = new ArrayList<>();
    private final RevokedCertificates source = (selection, sink) -> {
        selections.add(selection);
        revoked.stream()
                .filter(r -> !r.notAfter.isBefore(selection.validAt()))
                .filter(r -> selection.revokedSince() == null || !r.entry.revocationDate().isBefore(selection.revokedSince()))
                .filter(r -> selection.shard() == null
                        || r.entry.serial().mod(BigInteger.valueOf(PARTITIONS)).intValue() == selection.shard())
                .forEach(r -> sink.accept(r.entry));
    };
    private final CrlPublisher publisher = new CrlPublisher(repository, source, new CrlFactory(clock),
            new RecordingAuditLog(), clock, Duration.ofHours(24), new TestUrls(), LifecycleEvents.NONE);

    @BeforeAll
    static void createCa() {
        registry = EnrollmentFixture.createCas();
        ca = registry.find("sm2-issuing").orElseThrow();
    }

    @Test
    void fullCrlsListEveryUnexpiredRevocationAndDeltasListWhatChangedSinceThePreviousFullCrl() throws Exception {
        revoke(1, Duration.ofDays(30), 1);
        clock.advance(Duration.ofMinutes(1));
        CrlRecord first = publisher.issue(ca, "test");
        assertThat(first.crlNumber()).isEqualTo(BigInteger.ONE);
        CrlRecord firstDelta = repository.currentDeltaCrl(ca.name()).orElseThrow();
        assertThat(serials(firstDelta)).as("the first CRL is its own delta's base").isEmpty();
        assertThat(integer(verified(firstDelta), Extension.deltaCRLIndicator)).isEqualTo(BigInteger.ONE);
        assertThat(serials(first)).containsExactly(BigInteger.ONE);

        clock.advance(Duration.ofMinutes(5));
        revoke(2, Duration.ofDays(30), 4);
        CrlRecord second = publisher.issue(ca, "test");
        CrlRecord delta = repository.currentDeltaCrl(ca.name()).orElseThrow();

        assertThat(second.crlNumber()).isEqualTo(BigInteger.valueOf(3));
        assertThat(delta.crlNumber()).isEqualTo(BigInteger.valueOf(4));
        assertThat(serials(second)).containsExactlyInAnyOrder(BigInteger.ONE, BigInteger.TWO);
        X509CRL deltaCrl = verified(delta);
        assertThat(serials(delta)).containsExactly(BigInteger.TWO);
        assertThat(deltaCrl.getCriticalExtensionOIDs()).contains(Extension.deltaCRLIndicator.getId());
        assertThat(integer(deltaCrl, Extension.deltaCRLIndicator)).isEqualTo(BigInteger.ONE);
        CRLDistPoint freshest = CRLDistPoint.getInstance(ASN1OctetString.getInstance(
                verified(second).getExtensionValue(Extension.freshestCRL.getId())).getOctets());
        assertThat(freshest.getDistributionPoints()[0].getDistributionPoint().toString())
                .contains("http://pki.test/crl/sm2-issuing-delta.crl");

        clock.advance(Duration.ofMinutes(5));
        CrlRecord third = publisher.issue(ca, "test");
        assertThat(third.crlNumber()).as("after the delta #4").isEqualTo(BigInteger.valueOf(5));
        assertThat(integer(verified(repository.currentDeltaCrl(ca.name()).orElseThrow()), Extension.deltaCRLIndicator))
                .isEqualTo(BigInteger.valueOf(3));
    }

    @Test
    void theSignedCrlIsHeldOnceFromTheEncoderToTheRepository() {
        revoke(1, Duration.ofDays(30), 1);
        revoke(2, Duration.ofDays(30), 4);

        CrlRecord issued = publisher.issue(ca, "test");

        // A full CRL of a million entries is ~49 MB in a 512 MiB heap: the record published is the
        // one returned, over the encoder's own array (CrlRecord.of shares it), with no copy between.
        CrlRecord published = repository.published.stream()
                .filter(r -> r.crlNumber().equals(issued.crlNumber())).findFirst().orElseThrow();
        assertThat(published).isSameAs(issued);
        assertThat(published.sharedDer()).isSameAs(issued.sharedDer());
        assertThat(issued.der()).isEqualTo(issued.sharedDer()).isNotSameAs(issued.sharedDer());
    }

    @Test
    void expiredCertificatesDropOffTheNextCrl() throws Exception {
        revoke(7, Duration.ofMinutes(10), 0);
        assertThat(serials(publisher.issue(ca, "test"))).containsExactly(BigInteger.valueOf(7));

        clock.advance(Duration.ofMinutes(11));
        assertThat(serials(publisher.issue(ca, "test"))).isEmpty();
        assertThat(selections).allSatisfy(s -> assertThat(s.issuer()).isEqualTo(ca.name()));
    }

    @Test
    void partitionedCrlsListOnlyTheirOwnCertificatesUnderACriticalIssuingDistributionPoint() throws Exception {
        CrlPublisher partitioned = new CrlPublisher(repository, source, new CrlFactory(clock), new RecordingAuditLog(),
                clock, Duration.ofHours(24), new TestUrls(PARTITIONS), LifecycleEvents.NONE);
        for (long serial = 10; serial < 16; serial++) {
            revoke(serial, Duration.ofDays(30), 0);
        }
        clock.advance(Duration.ofMinutes(1));
        CrlRecord full = partitioned.issue(ca, "test");
        assertThat(serials(full)).hasSize(6);
        List<BigInteger> numbers = new ArrayList<>(List.of(full.crlNumber()));
        for (int shard = 0; shard < PARTITIONS; shard++) {
            CrlRecord partition = repository.currentPartitionCrl(ca.name(), shard).orElseThrow();
            int expected = shard;
            assertThat(serials(partition)).hasSize(2)
                    .allSatisfy(s -> assertThat(s.mod(BigInteger.valueOf(PARTITIONS)).intValue()).isEqualTo(expected));
            X509CRL crl = verified(partition);
            assertThat(crl.getCriticalExtensionOIDs()).contains(Extension.issuingDistributionPoint.getId());
            IssuingDistributionPoint idp = IssuingDistributionPoint.getInstance(ASN1OctetString.getInstance(
                    crl.getExtensionValue(Extension.issuingDistributionPoint.getId())).getOctets());
            assertThat(idp.onlyContainsUserCerts()).isTrue();
            assertThat(idp.getDistributionPoint().toString())
                    .contains("http://pki.test/crl/sm2-issuing-shard" + shard + ".crl")
                    .contains("cn=shard-" + shard + ",cn=sm2-issuing");
            numbers.add(partition.crlNumber());
        }
        assertThat(numbers).doesNotHaveDuplicates();

        clock.advance(Duration.ofMinutes(1));
        revoke(16, Duration.ofDays(30), 1);
        partitioned.issue(ca, "test");
        int shardOf16 = 16 % PARTITIONS;
        CrlRecord delta = repository.currentPartitionDeltaCrl(ca.name(), shardOf16).orElseThrow();
        assertThat(serials(delta)).containsExactly(BigInteger.valueOf(16));
        assertThat(integer(verified(delta), Extension.deltaCRLIndicator)).isEqualTo(numbers.get(1 + shardOf16));
        assertThat(repository.currentPartitionCrl(ca.name(), shardOf16).orElseThrow().crlNumber())
                .isGreaterThan(numbers.stream().max(BigInteger::compareTo).orElseThrow());
    }

    @Test
    void onlyCaAndRaAdminsIssueACrlOnDemandAndAnOperatorWhoMayNotLearnsNothingAboutTheCaNames() {
        assertThatThrownBy(() -> publisher.issueOnDemand(EnrollmentFixture.REVIEWER, registry, "no-such-ca"))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DomainException.Kind.FORBIDDEN);
                    assertThat(e.getMessage()).contains("CA_ADMIN or RA_ADMIN").doesNotContain("sm2-issuing");
                });
        assertThatThrownBy(() -> publisher.issueOnDemand(EnrollmentFixture.RA_ADMIN, registry, "no-such-ca"))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DomainException.Kind.NOT_FOUND);
                    assertThat(e.getMessage()).contains("sm2-issuing");
                });
        assertThat(repository.crlHead(ca.name())).isEmpty();

        CrlRecord crl = publisher.issueOnDemand(EnrollmentFixture.RA_ADMIN, registry, ca.name());

        assertThat(repository.crlHead(ca.name()).orElseThrow().crlNumber()).isEqualTo(crl.crlNumber());
    }

    @Test
    void aRevokedIssuingCaIsListedInItsRootsCrlAndArlAndIssuesNothingMore() throws Exception {
        CertificateAuthority root = registry.find("sm2-root").orElseThrow();
        repository.save(root.toRecord());
        repository.save(ca.toRecord());
        RecordingAuditLog audit = new RecordingAuditLog();
        List<String> parents = new ArrayList<>();
        CaRevocations caRevocations = new CaRevocations(new CaRegistry(List.of(root, ca)), repository,
                new org.egovpki.core.enroll.InMemoryStores(), audit, clock,
                event -> parents.add(((CaRevoked) event).parent()), new SecondCaAdmin(audit, clock));

        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> caRevocations.revoke(EnrollmentFixture.RA_ADMIN,
                ca.name(), org.egovpki.core.certificate.RevocationReason.CA_COMPROMISE))).hasMessageContaining("CA_ADMIN");
        org.egovpki.core.operator.Operator caAdmin = new org.egovpki.core.operator.Operator("ca1",
                "uid=ca1,ou=operators,o=egov-pki,c=CN", "ca1", java.util.EnumSet.of(org.egovpki.core.operator.Role.CA_ADMIN));
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> caRevocations.revoke(caAdmin, root.name(),
                org.egovpki.core.certificate.RevocationReason.CA_COMPROMISE))).hasMessageContaining("root CA");
        caRevocations.revoke(caAdmin, ca.name(), org.egovpki.core.certificate.RevocationReason.CA_COMPROMISE);
        assertThat(parents).as("proposed, not done").isEmpty();
        org.egovpki.core.operator.Operator secondCaAdmin = new org.egovpki.core.operator.Operator("ca2",
                "uid=ca2,ou=operators,o=egov-pki,c=CN", "ca2", java.util.EnumSet.of(org.egovpki.core.operator.Role.CA_ADMIN));
        caRevocations.revoke(secondCaAdmin, ca.name(), org.egovpki.core.certificate.RevocationReason.CA_COMPROMISE);
        assertThat(parents).containsExactly(root.name());
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> caRevocations.revoke(caAdmin, ca.name(),
                org.egovpki.core.certificate.RevocationReason.CA_COMPROMISE))).hasMessageContaining("already revoked");

        clock.advance(Duration.ofMinutes(1));
        CrlRecord rootCrl = publisher.issue(root, "test");
        X509CRL crl = Pem.parseCrl(rootCrl.der());
        crl.verify(root.certificate().getPublicKey(), BouncyCastle.PROVIDER);
        assertThat(crl.getRevokedCertificate(ca.certificate().getSerialNumber()).getRevocationReason())
                .hasToString("CA_COMPROMISE");
        X509CRL arl = Pem.parseCrl(repository.currentArl(root.name()).orElseThrow().der());
        arl.verify(root.certificate().getPublicKey(), BouncyCastle.PROVIDER);
        assertThat(arl.getRevokedCertificate(ca.certificate().getSerialNumber())).isNotNull();
        IssuingDistributionPoint idp = IssuingDistributionPoint.getInstance(ASN1OctetString.getInstance(
                arl.getExtensionValue(Extension.issuingDistributionPoint.getId())).getOctets());
        assertThat(idp.onlyContainsCACerts()).isTrue();
        assertThat(integer(arl, Extension.cRLNumber)).isGreaterThan(rootCrl.crlNumber());
    }

    private void revoke(long serial, Duration validFor, Integer reason) {
        Instant now = clock.instant();
        revoked.add(new Revoked(new RevokedEntry(BigInteger.valueOf(serial), now, reason, null), now.plus(validFor)));
    }

    private static List<BigInteger> serials(CrlRecord record) throws Exception {
        X509CRL crl = verified(record);
        return crl.getRevokedCertificates() == null ? List.of()
                : crl.getRevokedCertificates().stream().map(e -> e.getSerialNumber()).toList();
    }

    private static X509CRL verified(CrlRecord record) throws Exception {
        X509CRL crl = Pem.parseCrl(record.der());
        crl.verify(ca.certificate().getPublicKey(), BouncyCastle.PROVIDER);
        return crl;
    }

    private static BigInteger integer(X509CRL crl, org.bouncycastle.asn1.ASN1ObjectIdentifier oid) {
        return ASN1Integer.getInstance(ASN1OctetString.getInstance(crl.getExtensionValue(oid.getId())).getOctets())
                .getValue();
    }

    private record Revoked(RevokedEntry entry, Instant notAfter) {
    }
}
