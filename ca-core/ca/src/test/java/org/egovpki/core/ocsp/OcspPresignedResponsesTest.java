package org.egovpki.core.ocsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.egovpki.core.ocsp.OcspFixtures.NOW;
import static org.egovpki.core.ocsp.OcspFixtures.SHA1;
import static org.egovpki.core.ocsp.OcspFixtures.SHA256;
import static org.egovpki.core.ocsp.OcspFixtures.certId;
import static org.egovpki.core.ocsp.OcspFixtures.randomBytes;
import static org.egovpki.core.ocsp.OcspFixtures.request;
import static org.egovpki.core.ocsp.OcspFixtures.serial;
import static org.egovpki.core.ocsp.OcspFixtures.wrappedNonce;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.egovpki.core.DomainException;
import org.egovpki.core.ca.MovableClock;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.ocsp.OcspFixtures.InMemoryStatuses;
import org.egovpki.core.ocsp.OcspFixtures.TestCa;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pre-signed answers seen through the responder: answered without signing, re-signed ahead of
 * expiry by the sweep, dropped and re-signed on revocation, bounded in number.
 */
class OcspPresignedResponsesTest {

    private static final Duration NEXT_UPDATE = Duration.ofHours(1);
    private static final Instant REVOKED_AT = NOW.minusSeconds(30);

    private final MovableClock clock = new MovableClock(NOW);
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private TestCa ca;
    private BigInteger good;
    private InMemoryStatuses statuses;
    private CountingStatuses counting;

    @BeforeEach
    void setUp() {
        ca = OcspFixtures.ca(KeyAlgorithm.EC);
        good = serial();
        statuses = new InMemoryStatuses().put(ca.name(), good, RevocationStatus.good());
        counting = new CountingStatuses(statuses);
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
    }

    /** Far beyond the one-minute response cache: served, byte for byte, until three quarters of nextUpdate. */
    @Test
    void aRepeatedRequestGetsTheSameBytesWithoutLookupUntilThreeQuartersOfItsValidity() throws Exception {
        OcspResponder responder = presigned(counting, 100);
        byte[] request = request(certId(SHA256, ca.certificate(), good));

        byte[] first = responder.respond(request);
        clock.advance(NEXT_UPDATE.multipliedBy(3).dividedBy(4).minusSeconds(1));
        byte[] again = responder.respond(request);

        assertThat(again).isEqualTo(first);
        assertThat(counting.calls()).isEqualTo(1);
        assertThat(responder.presignedSize()).isEqualTo(1);
        assertThat(responder.presignedHits()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        byte[] late = responder.respond(request);
        assertThat(counting.calls()).as("not served with less than a quarter left: signed on the request").isEqualTo(2);
        assertThat(basic(late).getProducedAt()).isAfter(basic(first).getProducedAt());
        assertThat(responder.respond(request)).as("and that answer is pre-signed in turn").isEqualTo(late);
    }

    @Test
    void theSweepReSignsAnAskedForAnswerOnceHalfItsValidityIsGone() throws Exception {
        OcspResponder responder = presigned(counting, 100);
        byte[] request = request(certId(SHA256, ca.certificate(), good));
        byte[] first = responder.respond(request);

        clock.advance(NEXT_UPDATE.dividedBy(2).minusSeconds(1));
        assertThat(responder.refreshPresigned()).as("nothing due yet").isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(responder.refreshPresigned()).isEqualTo(1);

        byte[] refreshed = responder.respond(request);
        assertThat(counting.calls()).as("one lookup for the first answer, one by the sweep").isEqualTo(2);
        BasicOCSPResp answer = basic(refreshed);
        assertThat(answer.getProducedAt()).isAfter(basic(first).getProducedAt());
        assertThat(answer.getResponses()[0].getThisUpdate().toInstant())
                .isEqualTo(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        assertThat(Duration.between(answer.getResponses()[0].getThisUpdate().toInstant(),
                answer.getResponses()[0].getNextUpdate().toInstant())).isEqualTo(NEXT_UPDATE);
        assertThat(status(refreshed)).isSameAs(CertificateStatus.GOOD);
    }

    @Test
    void theSweepDropsAnswersNobodyAskedForSinceTheyWereSigned() throws Exception {
        OcspResponder responder = presigned(counting, 100);
        byte[] request = request(certId(SHA256, ca.certificate(), good));
        responder.respond(request);
        clock.advance(NEXT_UPDATE.dividedBy(2));
        assertThat(responder.refreshPresigned()).isEqualTo(1);

        clock.advance(NEXT_UPDATE.dividedBy(2));
        assertThat(responder.refreshPresigned()).as("not asked for since the sweep signed it").isZero();
        assertThat(responder.presignedSize()).isZero();
    }

    @Test
    void theSweepDropsAnAnswerWhoseSerialTheStoreNoLongerKnows() throws Exception {
        InMemoryStatuses other = new InMemoryStatuses().put(ca.name(), good, RevocationStatus.good());
        AtomicBoolean forgotten = new AtomicBoolean();
        OcspResponder responder = presigned((issuer, serial) -> forgotten.get() ? Optional.empty()
                : other.status(issuer, serial), 100);
        byte[] request = request(certId(SHA256, ca.certificate(), good));
        responder.respond(request);
        forgotten.set(true);
        clock.advance(NEXT_UPDATE.dividedBy(2));

        assertThat(responder.refreshPresigned()).isZero();
        assertThat(responder.presignedSize()).isZero();
        assertThat(status(responder.respond(request))).isInstanceOf(UnknownStatus.class);
    }

    @Test
    void aStoreOutageStopsTheSweepAndTheAnswersHeldAreStillServed() throws Exception {
        AtomicBoolean down = new AtomicBoolean();
        OcspResponder responder = presigned((issuer, serial) -> {
            if (down.get()) {
                throw DomainException.unavailable("directory down", null);
            }
            return statuses.status(issuer, serial);
        }, 100);
        byte[] request = request(certId(SHA256, ca.certificate(), good));
        byte[] first = responder.respond(request);
        responder.respond(request);
        down.set(true);
        clock.advance(NEXT_UPDATE.dividedBy(2));

        assertThat(responder.refreshPresigned()).isZero();
        assertThat(responder.respond(request)).isEqualTo(first);
    }

    /** The answer echoes the CertID as asked: one pre-signed answer per hash algorithm. */
    @Test
    void eachCertIdHashAlgorithmGetsItsOwnAnswerEchoingIt() throws Exception {
        OcspResponder responder = presigned(counting, 100);
        CertificateID sha1 = certId(SHA1, ca.certificate(), good);
        CertificateID sha256 = certId(SHA256, ca.certificate(), good);

        responder.respond(request(sha1));
        responder.respond(request(sha256));
        BasicOCSPResp bySha1 = basic(responder.respond(request(sha1)));
        BasicOCSPResp bySha256 = basic(responder.respond(request(sha256)));

        assertThat(counting.calls()).isEqualTo(2);
        assertThat(responder.presignedSize()).isEqualTo(2);
        assertThat(bySha1.getResponses()[0].getCertID()).isEqualTo(sha1);
        assertThat(bySha256.getResponses()[0].getCertID()).isEqualTo(sha256);
    }

    @Test
    void requestsWithANonceOrSeveralCertIdsKeepTheSignedPath() throws Exception {
        BigInteger second = serial();
        statuses.put(ca.name(), second, RevocationStatus.good());
        OcspResponder responder = presigned(counting, 100);
        byte[] withNonce = request(wrappedNonce(randomBytes(16)), certId(SHA256, ca.certificate(), good));
        byte[] pair = request(certId(SHA256, ca.certificate(), good), certId(SHA256, ca.certificate(), second));

        byte[] first = responder.respond(withNonce);
        byte[] again = responder.respond(withNonce);
        BasicOCSPResp both = basic(responder.respond(pair));

        assertThat(again).isNotEqualTo(first);
        assertThat(basic(again).getExtension(org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers.id_pkix_ocsp_nonce))
                .isNotNull();
        assertThat(both.getResponses()).hasSize(2);
        assertThat(responder.presignedSize()).as("neither is pre-signed").isZero();
        assertThat(counting.calls()).isEqualTo(4);
    }

    @Test
    void unknownSerialsAreNotPreSignedSoANewCertificateIsGoodAtOnce() throws Exception {
        OcspResponder responder = presigned(counting, 100);
        BigInteger later = serial();
        byte[] request = request(certId(SHA256, ca.certificate(), later));

        assertThat(status(responder.respond(request))).isInstanceOf(UnknownStatus.class);
        statuses.put(ca.name(), later, RevocationStatus.good());

        assertThat(status(responder.respond(request))).isSameAs(CertificateStatus.GOOD);
        assertThat(responder.presignedSize()).isEqualTo(1);
    }

    /** Invalidation drops the answer and re-signs it with the stored revocation: the next client needs no signature. */
    @Test
    void invalidateReplacesTheAnswerWithTheRevokedOneAndLeavesOtherSerials() throws Exception {
        BigInteger other = serial();
        statuses.put(ca.name(), other, RevocationStatus.good());
        OcspResponder responder = presigned(counting, 100);
        byte[] request = request(certId(SHA256, ca.certificate(), good));
        byte[] otherRequest = request(certId(SHA256, ca.certificate(), other));
        responder.respond(request);
        byte[] otherAnswer = responder.respond(otherRequest);
        statuses.put(ca.name(), good, RevocationStatus.revoked(REVOKED_AT, CRLReason.keyCompromise));

        responder.invalidate(ca.name(), good);
        int calls = counting.calls();
        byte[] revoked = responder.respond(request);

        assertThat(status(revoked)).isInstanceOf(RevokedStatus.class);
        assertThat(((RevokedStatus) status(revoked)).getRevocationReason()).isEqualTo(CRLReason.keyCompromise);
        assertThat(counting.calls()).as("answered from the re-signed answer").isEqualTo(calls);
        assertThat(responder.respond(otherRequest)).isEqualTo(otherAnswer);
    }

    /**
     * The race the ticket closes: an answer signed from a status read just before a revocation
     * would be stored just after the revocation's invalidation.
     */
    @Test
    void anAnswerFromAStatusReadBeforeARevocationIsNotStoredAfterItsInvalidation() throws Exception {
        CountDownLatch statusRead = new CountDownLatch(1);
        CountDownLatch revocationDone = new CountDownLatch(1);
        AtomicBoolean holdNext = new AtomicBoolean(true);
        CertificateStatusSource slow = (issuer, serial) -> {
            Optional<RevocationStatus> status = statuses.status(issuer, serial);
            if (holdNext.getAndSet(false)) {
                statusRead.countDown();
                await(revocationDone);
            }
            return status;
        };
        OcspResponder responder = presigned(slow, 100);
        byte[] request = request(certId(SHA256, ca.certificate(), good));

        Future<byte[]> inFlight = pool.submit(() -> responder.respond(request));
        assertThat(statusRead.await(10, TimeUnit.SECONDS)).isTrue();
        statuses.put(ca.name(), good, RevocationStatus.revoked(REVOKED_AT, CRLReason.keyCompromise));
        responder.invalidate(ca.name(), good);
        revocationDone.countDown();

        assertThat(status(inFlight.get(10, TimeUnit.SECONDS))).as("answered from the status it read")
                .isSameAs(CertificateStatus.GOOD);
        assertThat(status(responder.respond(request))).as("but not stored after the invalidation")
                .isInstanceOf(RevokedStatus.class);
    }

    /** Any respond() that starts after invalidate() returned reports the revocation, under concurrent sweeps too. */
    @Test
    void noAnswerStartedAfterTheInvalidationIsGood() throws Exception {
        OcspResponder responder = presigned(statuses, 100);
        byte[] request = request(certId(SHA256, ca.certificate(), good));
        byte[] sha1Request = request(certId(SHA1, ca.certificate(), good));
        AtomicBoolean invalidated = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger staleAnswers = new AtomicInteger();
        AtomicInteger answers = new AtomicInteger();
        List<Future<?>> workers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            byte[] mine = i % 2 == 0 ? request : sha1Request;
            workers.add(pool.submit(() -> {
                while (!stop.get()) {
                    boolean after = invalidated.get();
                    CertificateStatus status = status(responder.respond(mine));
                    answers.incrementAndGet();
                    if (after && status == CertificateStatus.GOOD) {
                        staleAnswers.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        workers.add(pool.submit(() -> {
            while (!stop.get()) {
                clock.advance(Duration.ofMinutes(1));
                responder.refreshPresigned();
            }
            return null;
        }));
        while (answers.get() < 200) {
            Thread.onSpinWait();
        }
        statuses.put(ca.name(), good, RevocationStatus.revoked(REVOKED_AT, CRLReason.superseded));
        responder.invalidate(ca.name(), good);
        invalidated.set(true);
        int seen = answers.get();
        while (answers.get() < seen + 200) {
            Thread.onSpinWait();
        }
        stop.set(true);
        for (Future<?> worker : workers) {
            worker.get(10, TimeUnit.SECONDS);
        }

        assertThat(staleAnswers.get()).isZero();
    }

    /** Beyond the maximum, new certificates are answered as before: signed, then held by the short-lived cache. */
    @Test
    void atMostTheConfiguredNumberOfAnswersArePreSignedAndTheRestUseTheCache() throws Exception {
        OcspResponder responder = presigned(counting, 2);
        List<byte[]> requests = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            BigInteger serial = serial();
            statuses.put(ca.name(), serial, RevocationStatus.good());
            requests.add(request(certId(SHA256, ca.certificate(), serial)));
        }
        for (byte[] request : requests) {
            responder.respond(request);
        }
        assertThat(responder.presignedSize()).isEqualTo(2);
        int calls = counting.calls();

        byte[] third = responder.respond(requests.get(2));
        assertThat(counting.calls()).as("the third is in the response cache").isEqualTo(calls);
        clock.advance(Duration.ofMinutes(1));
        assertThat(responder.respond(requests.get(2))).isNotEqualTo(third);
        assertThat(counting.calls()).as("and signed again after the cache lifetime").isEqualTo(calls + 1);
        assertThat(responder.respond(requests.get(0))).isNotNull();
        assertThat(counting.calls()).as("the first two stay pre-signed").isEqualTo(calls + 1);
    }

    @Test
    void newSignersOrSettingsDropThePreSignedAnswers() throws Exception {
        OcspResponder responder = presigned(counting, 100);
        byte[] request = request(certId(SHA256, ca.certificate(), good));
        responder.respond(request);

        responder.updateSigners(List.of(ca.served()));
        assertThat(responder.presignedSize()).isZero();
        responder.respond(request);
        responder.updateSettings(new OcspResponder.Settings(Duration.ofMinutes(90), Duration.ofSeconds(60), 100, true,
                100));
        assertThat(responder.presignedSize()).isZero();
        responder.updateSettings(new OcspResponder.Settings(Duration.ofMinutes(90), Duration.ofSeconds(60), 100));
        responder.respond(request);
        assertThat(responder.presignedSize()).as("pre-signing off").isZero();
    }

    @Test
    void refusesABadMaximum() {
        assertThatThrownBy(() -> new OcspResponder.Settings(NEXT_UPDATE, Duration.ofSeconds(60), 10, true, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pre-signed answers maximum 0");
        assertThatThrownBy(() -> new OcspResponder.Settings(NEXT_UPDATE, Duration.ofSeconds(60), 10, true,
                OcspResponder.Settings.MAX_PRESIGNED_ENTRIES + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("use 1 to");
    }

    private OcspResponder presigned(CertificateStatusSource source, int maxEntries) {
        return new OcspResponder(List.of(ca.served()), source, clock, new OcspResponder.Settings(NEXT_UPDATE,
                Duration.ofSeconds(60), OcspResponder.Settings.DEFAULT_CACHE_ENTRIES, true, maxEntries));
    }

    private static BasicOCSPResp basic(byte[] der) throws Exception {
        OCSPResp response = new OCSPResp(der);
        assertThat(response.getStatus()).isZero();
        return (BasicOCSPResp) response.getResponseObject();
    }

    private static CertificateStatus status(byte[] der) throws Exception {
        return basic(der).getResponses()[0].getCertStatus();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("timed out waiting for the test to go on");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Counts status lookups: one per CertID answered without a stored answer. */
    private static final class CountingStatuses implements CertificateStatusSource {
        private final CertificateStatusSource delegate;
        private final AtomicInteger calls = new AtomicInteger();

        CountingStatuses(CertificateStatusSource delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<RevocationStatus> status(String issuerName, BigInteger serial) {
            calls.incrementAndGet();
            return delegate.status(issuerName, serial);
        }

        int calls() {
            return calls.get();
        }
    }
}
