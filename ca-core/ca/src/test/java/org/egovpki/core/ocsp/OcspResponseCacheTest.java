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
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.egovpki.core.ca.MovableClock;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.ocsp.OcspFixtures.InMemoryStatuses;
import org.egovpki.core.ocsp.OcspFixtures.TestCa;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The response cache seen through the responder: what is cached, for how long, and how a revocation gets out. */
class OcspResponseCacheTest {

    private static final Duration NEXT_UPDATE = Duration.ofHours(1);
    private static final Duration LIFETIME = Duration.ofSeconds(60);
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

    @Test
    void aRepeatedRequestWithoutNonceGetsTheIdenticalBytesWithoutAnotherLookupUntilTheLifetimeEnds() throws Exception {
        OcspResponder responder = cached(counting);
        byte[] request = request(certId(SHA256, ca.certificate(), good));

        byte[] first = responder.respond(request);
        clock.advance(LIFETIME.minusSeconds(1));
        byte[] second = responder.respond(request);

        assertThat(second).isEqualTo(first);
        assertThat(counting.calls()).isEqualTo(1);
        assertThat(status(second)).isSameAs(CertificateStatus.GOOD);

        clock.advance(Duration.ofSeconds(1));
        byte[] third = responder.respond(request);
        assertThat(counting.calls()).as("looked up again after the lifetime").isEqualTo(2);
        assertThat(basic(third).getProducedAt()).isAfter(basic(first).getProducedAt());
    }

    /**
     * A reload's new timings: the answer cached under the old lifetime (60 s) is not served again,
     * the next answer carries the new nextUpdate, and it is cached for the new lifetime (10 s) only.
     */
    @Test
    void newSettingsDropWhatWasCachedAndApplyToTheNextAnswer() throws Exception {
        OcspResponder responder = cached(counting);
        byte[] request = request(certId(SHA256, ca.certificate(), good));
        byte[] first = responder.respond(request);
        clock.advance(Duration.ofSeconds(15));

        responder.updateSettings(new OcspResponder.Settings(Duration.ofMinutes(90), Duration.ofSeconds(10), 100));

        byte[] second = responder.respond(request);
        assertThat(counting.calls()).as("the old cache is not read after the change").isEqualTo(2);
        assertThat(second).isNotEqualTo(first);
        BasicOCSPResp answer = basic(second);
        assertThat(Duration.between(answer.getResponses()[0].getThisUpdate().toInstant(),
                answer.getResponses()[0].getNextUpdate().toInstant())).isEqualTo(Duration.ofMinutes(90));
        clock.advance(Duration.ofSeconds(9));
        assertThat(responder.respond(request)).isEqualTo(second);
        clock.advance(Duration.ofSeconds(1));
        responder.respond(request);
        assertThat(counting.calls()).as("signed again once the new 10 s lifetime is over").isEqualTo(3);

        responder.updateSettings(OcspResponder.Settings.uncached(Duration.ofMinutes(90)));
        assertThat(responder.caching()).isFalse();
        responder.respond(request);
        responder.respond(request);
        assertThat(counting.calls()).isEqualTo(5);
    }

    @Test
    void theCallerCannotChangeTheCachedResponseOrItsKey() throws Exception {
        OcspResponder responder = cached(counting);
        byte[] request = request(certId(SHA256, ca.certificate(), good));
        byte[] sent = request.clone();

        byte[] first = responder.respond(sent);
        byte[] original = first.clone();
        first[first.length - 1] ^= 1;
        sent[sent.length - 1] ^= 1;

        assertThat(responder.respond(request)).isEqualTo(original);
        assertThat(counting.calls()).isEqualTo(1);
    }

    @Test
    void requestsWithANonceAreNeverCached() throws Exception {
        OcspResponder responder = cached(counting);
        byte[] withNonce = request(wrappedNonce(randomBytes(16)), certId(SHA256, ca.certificate(), good));

        byte[] first = responder.respond(withNonce);
        byte[] second = responder.respond(withNonce);

        assertThat(counting.calls()).isEqualTo(2);
        assertThat(second).isNotEqualTo(first); // ECDSA signatures are randomised: signed twice
        assertThat(status(second)).isSameAs(CertificateStatus.GOOD);
    }

    @Test
    void answersWithAnUnknownSerialAreNeverCachedSoANewCertificateIsGoodAtOnce() throws Exception {
        OcspResponder responder = cached(counting);
        BigInteger later = serial();
        byte[] request = request(certId(SHA256, ca.certificate(), later));

        assertThat(status(responder.respond(request))).isInstanceOf(UnknownStatus.class);
        statuses.put(ca.name(), later, RevocationStatus.good());

        assertThat(status(responder.respond(request))).isSameAs(CertificateStatus.GOOD);
    }

    @Test
    void invalidateMakesTheNextAnswerFreshAndLeavesOtherSerialsCached() throws Exception {
        BigInteger other = serial();
        statuses.put(ca.name(), other, RevocationStatus.good());
        OcspResponder responder = cached(counting);
        byte[] request = request(certId(SHA256, ca.certificate(), good));
        byte[] otherRequest = request(certId(SHA256, ca.certificate(), other));
        responder.respond(request);
        responder.respond(otherRequest);
        statuses.put(ca.name(), good, RevocationStatus.revoked(REVOKED_AT, CRLReason.keyCompromise));

        assertThat(status(responder.respond(request))).as("cached, not yet invalidated").isSameAs(CertificateStatus.GOOD);
        responder.invalidate(ca.name(), good);

        assertThat(status(responder.respond(request))).isInstanceOf(RevokedStatus.class);
        int calls = counting.calls();
        responder.respond(otherRequest);
        assertThat(counting.calls()).as("the other serial is still cached").isEqualTo(calls);
    }

    @Test
    void invalidatingAnySerialOfAMultiCertIdRequestDropsItsResponse() throws Exception {
        BigInteger second = serial();
        statuses.put(ca.name(), second, RevocationStatus.good());
        OcspResponder responder = cached(counting);
        byte[] request = request(certId(SHA1, ca.certificate(), good), certId(SHA1, ca.certificate(), second));
        responder.respond(request);
        statuses.put(ca.name(), second, RevocationStatus.revoked(REVOKED_AT, null));

        responder.invalidate(ca.name(), second);

        BasicOCSPResp basic = basic(responder.respond(request));
        assertThat(basic.getResponses()[0].getCertStatus()).isSameAs(CertificateStatus.GOOD);
        assertThat(basic.getResponses()[1].getCertStatus()).isInstanceOf(RevokedStatus.class);
    }

    @Test
    void invalidateOfAnotherCaOrSerialDropsNothing() throws Exception {
        OcspResponder responder = cached(counting);
        byte[] request = request(certId(SHA256, ca.certificate(), good));
        responder.respond(request);

        responder.invalidate("another-ca", good);
        responder.invalidate(ca.name(), good.add(BigInteger.ONE));
        responder.respond(request);

        assertThat(counting.calls()).isEqualTo(1);
    }

    /**
     * The race the ticket closes: a response is signed from a status read just before a
     * revocation, and would be cached just after the revocation's invalidation. The status source
     * holds the first lookup after it has read "good" until the revocation is stored and
     * invalidated, forcing exactly that order.
     */
    @Test
    void aResponseFromAStatusReadBeforeARevocationIsNotCachedAfterItsInvalidation() throws Exception {
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
        OcspResponder responder = cached(slow);
        byte[] request = request(certId(SHA256, ca.certificate(), good));

        Future<byte[]> inFlight = pool.submit(() -> responder.respond(request));
        assertThat(statusRead.await(10, TimeUnit.SECONDS)).isTrue();
        statuses.put(ca.name(), good, RevocationStatus.revoked(REVOKED_AT, CRLReason.keyCompromise));
        responder.invalidate(ca.name(), good);
        revocationDone.countDown();

        assertThat(status(inFlight.get(10, TimeUnit.SECONDS))).as("answered from the status it read")
                .isSameAs(CertificateStatus.GOOD);
        assertThat(status(responder.respond(request))).as("but not cached after the invalidation")
                .isInstanceOf(RevokedStatus.class);
    }

    /**
     * Linearisable from the caller's side: any respond() that starts after invalidate() returned
     * reports the revocation, while other threads keep hitting and refilling the cache.
     */
    @Test
    void noAnswerStartedAfterTheInvalidationIsGood() throws Exception {
        OcspResponder responder = cached(statuses);
        byte[] request = request(certId(SHA256, ca.certificate(), good));
        AtomicBoolean invalidated = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger staleAnswers = new AtomicInteger();
        AtomicInteger answers = new AtomicInteger();
        List<Future<?>> workers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            workers.add(pool.submit(() -> {
                while (!stop.get()) {
                    boolean after = invalidated.get();
                    CertificateStatus status = status(responder.respond(request));
                    answers.incrementAndGet();
                    if (after && status == CertificateStatus.GOOD) {
                        staleAnswers.incrementAndGet();
                    }
                }
                return null;
            }));
        }
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

    @Test
    void theCacheHoldsAtMostItsConfiguredNumberOfResponses() throws Exception {
        OcspResponder responder = new OcspResponder(List.of(ca.served()), counting, clock,
                new OcspResponder.Settings(NEXT_UPDATE, LIFETIME, 2));
        List<byte[]> requests = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            BigInteger serial = serial();
            statuses.put(ca.name(), serial, RevocationStatus.good());
            requests.add(request(certId(SHA256, ca.certificate(), serial)));
        }
        for (byte[] request : requests) {
            responder.respond(request);
        }
        int calls = counting.calls();

        responder.respond(requests.get(2));
        responder.respond(requests.get(1));
        assertThat(counting.calls()).as("the two newest are cached").isEqualTo(calls);
        responder.respond(requests.get(0));
        assertThat(counting.calls()).as("the oldest was dropped").isEqualTo(calls + 1);
    }

    @Test
    void withoutACacheEveryAnswerIsLookedUpAndSigned() throws Exception {
        OcspResponder responder = new OcspResponder(List.of(ca.served()), counting, clock,
                OcspResponder.Settings.uncached(NEXT_UPDATE));
        byte[] request = request(certId(SHA256, ca.certificate(), good));

        responder.respond(request);
        responder.respond(request);
        responder.invalidate(ca.name(), good);

        assertThat(responder.caching()).isFalse();
        assertThat(counting.calls()).isEqualTo(2);
    }

    @Test
    void refusesACacheLifetimeBeyondHalfTheValidityOrABadSize() {
        assertThatThrownBy(() -> new OcspResponder.Settings(Duration.ofMinutes(10), Duration.ofMinutes(6), 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than half");
        assertThatThrownBy(() -> new OcspResponder.Settings(NEXT_UPDATE, Duration.ofMillis(500), 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole number of seconds");
        assertThatThrownBy(() -> new OcspResponder.Settings(NEXT_UPDATE, LIFETIME, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cache size");
        assertThat(new OcspResponder.Settings(Duration.ofMinutes(2), Duration.ofMinutes(1), 1).caching()).isTrue();
    }

    private OcspResponder cached(CertificateStatusSource source) {
        return new OcspResponder(List.of(ca.served()), source, clock,
                new OcspResponder.Settings(NEXT_UPDATE, LIFETIME, OcspResponder.Settings.DEFAULT_CACHE_ENTRIES));
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

    /** Counts status lookups: one per CertID answered without the cache. */
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
