package org.egovpki.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.CertificateStatus;
import org.egovpki.core.certificate.IssuanceState;
import org.egovpki.core.certificate.Revocation;
import org.egovpki.core.certificate.RevocationChannel;
import org.egovpki.core.certificate.RevocationReason;
import org.egovpki.core.certificate.RevokedSelection;
import org.egovpki.core.ocsp.RevocationStatus;
import org.egovpki.core.ocsp.UnexpiredCertificates;
import org.egovpki.core.profile.CertificateType;
import org.egovpki.core.profile.KeyUsageKind;
import org.egovpki.core.x509.RevokedEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The certificate store against the real embedded directory: revocation CAS and the paged CRL stream. */
class LdapCertificateStoreIT {

    private static final String BASE = TestDirectory.BASE;
    private static final Instant NOW = Instant.parse("2026-11-21T08:00:00Z");

    @TempDir
    static Path work;

    private static TestDirectory directory;
    private static LdapCertificateStore store;

    @BeforeAll
    static void start() throws Exception {
        directory = TestDirectory.start(work);
        // Small pages, several pooled connections: a page's cookie must go back to its own connection.
        store = new LdapCertificateStore(directory.adminPool(3), directory.names(), 4);
    }

    @AfterAll
    static void stop() {
        if (directory != null) {
            directory.close();
        }
    }

    @Test
    void theCrlStreamReadsEveryUnexpiredRevocationAcrossManyPagesOnAPool() {
        List<BigInteger> revoked = new ArrayList<>();
        for (int i = 1; i <= 23; i++) {
            CertificateRecord record = record("a", BigInteger.valueOf(1000 + i), NOW.plus(Duration.ofDays(30)), i % 2);
            assertThat(store.writeIntent(record)).isTrue();
            assertThat(store.revoke(record, revocation(NOW.minus(Duration.ofMinutes(i))))).isTrue();
            revoked.add(record.serial());
        }
        CertificateRecord expired = record("a", BigInteger.valueOf(5000), NOW.minus(Duration.ofDays(1)), 0);
        store.writeIntent(expired);
        store.revoke(expired, revocation(NOW.minus(Duration.ofDays(2))));
        CertificateRecord valid = record("a", BigInteger.valueOf(6000), NOW.plus(Duration.ofDays(30)), 0);
        store.writeIntent(valid);

        assertThat(serials(RevokedSelection.all("a", NOW))).containsExactlyInAnyOrderElementsOf(revoked);
        assertThat(serials(new RevokedSelection("a", NOW, NOW.minus(Duration.ofMinutes(3)), null)))
                .containsExactlyInAnyOrder(BigInteger.valueOf(1001), BigInteger.valueOf(1002), BigInteger.valueOf(1003));
        assertThat(serials(new RevokedSelection("a", NOW, null, 1))).hasSize(12);
        assertThat(serials(RevokedSelection.all("other-ca", NOW))).isEmpty();
    }

    /** The walk the OCSP answers are signed ahead from: issued, unexpired, with statuses, in pages. */
    @Test
    void theUnexpiredCertificatesAreReadPageByPageWithTheirStatuses() throws Exception {
        List<BigInteger> issued = new ArrayList<>();
        for (int i = 1; i <= 9; i++) {
            CertificateRecord record = record("o", BigInteger.valueOf(300 + i), NOW.plus(Duration.ofDays(i)), 0);
            store.writeIntent(record);
            issued.add(record.serial());
        }
        CertificateRecord revoked = record("o", BigInteger.valueOf(399), NOW.plus(Duration.ofDays(30)), 0);
        store.writeIntent(revoked);
        store.revoke(revoked, revocation(NOW.minus(Duration.ofHours(1))));
        store.writeIntent(record("o", BigInteger.valueOf(398), NOW.minusSeconds(1), 0));
        store.writeIntent(record("o", BigInteger.valueOf(397), NOW.plus(Duration.ofDays(30)), 0)
                .inState(IssuanceState.INTENT));
        var source = new LdapCertificateStatusSource(directory.adminPool(2), directory.names(), 4);

        List<UnexpiredCertificates.Unexpired> found = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        source.forEachPage(NOW, page -> {
            pageSizes.add(page.size());
            page.stream().filter(c -> c.issuerName().equals("o")).forEach(found::add);
        });

        assertThat(pageSizes).allSatisfy(size -> assertThat(size).isBetween(1, 4));
        assertThat(found).extracting(UnexpiredCertificates.Unexpired::serial)
                .as("neither the expired record nor the intent").containsExactlyInAnyOrderElementsOf(
                        concat(issued, revoked.serial()));
        UnexpiredCertificates.Unexpired revokedOne = found.stream()
                .filter(c -> c.serial().equals(revoked.serial())).findFirst().orElseThrow();
        assertThat(revokedOne.status()).isEqualTo(RevocationStatus.revoked(NOW.minus(Duration.ofHours(1)), 1));
        assertThat(revokedOne.notAfter()).isEqualTo(NOW.plus(Duration.ofDays(30)));
        assertThat(found).filteredOn(c -> !c.serial().equals(revoked.serial()))
                .allSatisfy(c -> assertThat(c.status()).isEqualTo(RevocationStatus.good()));
    }

    /** What another CA process's OCSP follows: the revocations recorded since a time, across pages. */
    @Test
    void theRevocationsRecordedSinceATimeAreReadAcrossPages() throws Exception {
        List<BigInteger> recent = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            CertificateRecord record = record("p", BigInteger.valueOf(500 + i), NOW.plus(Duration.ofDays(30)), 0);
            store.writeIntent(record);
            store.revoke(record, revocation(NOW.minusSeconds(i)));
            recent.add(record.serial());
        }
        CertificateRecord older = record("p", BigInteger.valueOf(599), NOW.plus(Duration.ofDays(30)), 0);
        store.writeIntent(older);
        store.revoke(older, revocation(NOW.minus(Duration.ofMinutes(10))));
        store.writeIntent(record("p", BigInteger.valueOf(598), NOW.plus(Duration.ofDays(30)), 0));
        var source = new LdapCertificateStatusSource(directory.adminPool(2), directory.names(), 4);

        List<org.egovpki.core.ocsp.RecentRevocations.Revoked> found = source.since(NOW.minusSeconds(6)).stream()
                .filter(r -> r.issuerName().equals("p")).toList();

        assertThat(found).extracting(org.egovpki.core.ocsp.RecentRevocations.Revoked::serial)
                .as("revoked at or after the time; not the older one nor the good one")
                .containsExactlyInAnyOrderElementsOf(recent);
        assertThat(found).filteredOn(r -> r.serial().equals(BigInteger.valueOf(506)))
                .extracting(org.egovpki.core.ocsp.RecentRevocations.Revoked::revocationTime)
                .containsExactly(NOW.minusSeconds(6));
    }

    private static List<BigInteger> concat(List<BigInteger> list, BigInteger one) {
        List<BigInteger> all = new ArrayList<>(list);
        all.add(one);
        return all;
    }

    @Test
    void aSecondRevocationLosesTheCompareAndSwapAndTheFirstStands() {
        CertificateRecord record = record("b", BigInteger.valueOf(77), NOW.plus(Duration.ofDays(30)), 0);
        store.writeIntent(record);
        assertThat(store.revoke(record, revocation(NOW))).isTrue();
        assertThat(store.revoke(record, new Revocation(NOW.plusSeconds(5), RevocationReason.LEGAL, null,
                "cn=someone else," + BASE, RevocationChannel.OPERATOR))).isFalse();

        CertificateRecord stored = store.find("b", BigInteger.valueOf(77)).orElseThrow();
        assertThat(stored.status()).isEqualTo(CertificateStatus.REVOKED);
        assertThat(stored.revocation().reason()).isEqualTo(RevocationReason.KEY_COMPROMISE);
        assertThat(stored.revocation().time()).isEqualTo(NOW);
    }

    private List<BigInteger> serials(RevokedSelection selection) {
        List<BigInteger> serials = new ArrayList<>();
        store.forEachRevoked(selection, (RevokedEntry e) -> serials.add(e.serial()));
        return serials;
    }

    private static Revocation revocation(Instant time) {
        return new Revocation(time, RevocationReason.KEY_COMPROMISE, null, "cn=ra1,ou=operators," + BASE,
                RevocationChannel.OPERATOR);
    }

    private static CertificateRecord record(String issuer, BigInteger serial, Instant notAfter, int shard) {
        return new CertificateRecord(issuer, serial, "r-1", "s-1", "CN=Test,C=CN", "personal", CertificateType.PERSONAL,
                KeyUsageKind.SIGNING, null, null, CertificateStatus.VALID, IssuanceState.PUBLISHED, new byte[] {0x30, 0},
                null, NOW.minus(Duration.ofDays(300)), notAfter, null, NOW.minus(Duration.ofDays(300)), shard, null);
    }
}
