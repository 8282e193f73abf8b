package org.egovpki.core.ocsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.egovpki.core.ocsp.OcspFixtures.NOW;
import static org.egovpki.core.ocsp.OcspFixtures.SHA256;
import static org.egovpki.core.ocsp.OcspFixtures.certId;
import static org.egovpki.core.ocsp.OcspFixtures.request;
import static org.egovpki.core.ocsp.OcspFixtures.serial;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.egovpki.core.DomainException;
import org.egovpki.core.ca.MovableClock;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.ocsp.OcspFixtures.InMemoryStatuses;
import org.egovpki.core.ocsp.OcspFixtures.TestCa;
import org.egovpki.core.ocsp.RecentRevocations.Revoked;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two CA processes on one directory: a revocation recorded by the other process reaches this
 * process's cached and pre-signed answers at its next refresh ({@link OcspResponder#followRevocations}).
 */
class OcspFollowRevocationsTest {

    private static final Duration NEXT_UPDATE = Duration.ofHours(1);

    private final MovableClock clock = new MovableClock(NOW);
    private TestCa ca;
    private BigInteger serial;
    private InMemoryStatuses statuses;
    private final AtomicInteger statusReads = new AtomicInteger();
    /** What the other process recorded: read by the poll. */
    private final List<Revoked> recorded = new ArrayList<>();
    private final List<Instant> asked = new ArrayList<>();
    private OcspResponder responder;

    @BeforeEach
    void setUp() {
        ca = OcspFixtures.ca(KeyAlgorithm.EC);
        serial = serial();
        statuses = new InMemoryStatuses().put(ca.name(), serial, RevocationStatus.good());
        responder = new OcspResponder(List.of(ca.served()), (issuer, s) -> {
            statusReads.incrementAndGet();
            return statuses.status(issuer, s);
        }, clock, new OcspResponder.Settings(NEXT_UPDATE, Duration.ofSeconds(60),
                OcspResponder.Settings.DEFAULT_CACHE_ENTRIES, true, 100));
        responder.followRevocations(since -> {
            asked.add(since);
            return recorded.stream().filter(r -> !r.revocationTime().isBefore(since)).toList();
        });
    }

    @Test
    void aRevocationByTheOtherProcessReplacesThePreSignedGoodAnswerAtTheNextRefresh() throws Exception {
        byte[] request = request(certId(SHA256, ca.certificate(), serial));
        assertThat(status(responder.respond(request))).isSameAs(CertificateStatus.GOOD);
        responder.refreshPresigned();

        otherProcessRevokes(serial, clock.instant());
        assertThat(status(responder.respond(request))).as("before the refresh: the pre-signed answer")
                .isSameAs(CertificateStatus.GOOD);
        clock.advance(Duration.ofSeconds(15));
        assertThat(responder.refreshPresigned()).isEqualTo(1);

        assertThat(status(responder.respond(request))).isInstanceOf(RevokedStatus.class);
    }

    @Test
    void aRevocationIsFollowedOnceAndOneMadeHereIsNotFollowedAgain() {
        byte[] request = request(certId(SHA256, ca.certificate(), serial));
        responder.respond(request);
        responder.refreshPresigned();
        BigInteger local = serial();
        statuses.put(ca.name(), local, RevocationStatus.good());
        responder.respond(request(certId(SHA256, ca.certificate(), local)));

        otherProcessRevokes(serial, clock.instant());
        statuses.put(ca.name(), local, RevocationStatus.revoked(clock.instant(), CRLReason.keyCompromise));
        responder.revoked(ca.name(), local); // this process's own revocation
        recorded.add(new Revoked(ca.name(), local, clock.instant()));
        int reads = statusReads.get();

        clock.advance(Duration.ofSeconds(15));
        assertThat(responder.refreshPresigned()).as("only the other process's").isEqualTo(1);
        clock.advance(Duration.ofSeconds(15));
        assertThat(responder.refreshPresigned()).as("already followed").isZero();
        assertThat(statusReads.get() - reads).as("one re-signature, for the followed one").isEqualTo(1);
    }

    @Test
    void eachPollLooksBackFromTheLastOneThatSucceeded() {
        responder.refreshPresigned();
        clock.advance(Duration.ofSeconds(15));
        responder.refreshPresigned();

        assertThat(asked).containsExactly(NOW.minus(OcspResponder.FOLLOW_LOOK_BACK),
                NOW.minus(OcspResponder.FOLLOW_LOOK_BACK));

        responder.followRevocations(since -> {
            asked.add(since);
            throw DomainException.unavailable("directory down", null);
        });
        clock.advance(Duration.ofSeconds(15));
        responder.refreshPresigned();
        clock.advance(Duration.ofSeconds(15));
        responder.refreshPresigned();
        assertThat(asked.subList(2, 4)).as("from the last poll that succeeded").containsOnly(
                NOW.plusSeconds(15).minus(OcspResponder.FOLLOW_LOOK_BACK));
    }

    /** Recorded a little before the last poll (clocks apart, a write in flight): still followed. */
    @Test
    void aRevocationRecordedJustBeforeThePreviousPollIsStillFollowed() throws Exception {
        byte[] request = request(certId(SHA256, ca.certificate(), serial));
        responder.respond(request);
        responder.refreshPresigned();
        clock.advance(Duration.ofSeconds(15));

        otherProcessRevokes(serial, NOW.minusSeconds(30));
        assertThat(responder.refreshPresigned()).isEqualTo(1);
        assertThat(status(responder.respond(request))).isInstanceOf(RevokedStatus.class);
    }

    /** Without pre-signed answers the response cache follows too: the refresh route runs either way. */
    @Test
    void theResponseCacheFollowsWithPreSigningOff() throws Exception {
        OcspResponder cacheOnly = new OcspResponder(List.of(ca.served()), statuses, clock,
                new OcspResponder.Settings(NEXT_UPDATE, Duration.ofSeconds(60), 100));
        cacheOnly.followRevocations(since -> recorded);
        byte[] request = request(certId(SHA256, ca.certificate(), serial));
        assertThat(status(cacheOnly.respond(request))).isSameAs(CertificateStatus.GOOD);
        otherProcessRevokes(serial, clock.instant());
        assertThat(status(cacheOnly.respond(request))).as("cached").isSameAs(CertificateStatus.GOOD);

        assertThat(cacheOnly.refreshPresigned()).isEqualTo(1);

        assertThat(status(cacheOnly.respond(request))).isInstanceOf(RevokedStatus.class);
    }

    /** A clock stepped back after a poll does not make the next poll skip the time in between. */
    @Test
    void aClockSteppedBackStillLooksBackFromItsOwnNow() {
        responder.refreshPresigned();
        clock.set(NOW.minus(Duration.ofHours(1)));
        responder.refreshPresigned();

        assertThat(asked.get(1)).isEqualTo(NOW.minus(Duration.ofHours(1)).minus(OcspResponder.FOLLOW_LOOK_BACK));
    }

    private void otherProcessRevokes(BigInteger revoked, Instant at) {
        statuses.put(ca.name(), revoked, RevocationStatus.revoked(at, CRLReason.keyCompromise));
        recorded.add(new Revoked(ca.name(), revoked, at));
    }

    private static CertificateStatus status(byte[] der) throws Exception {
        BasicOCSPResp basic = (BasicOCSPResp) new OCSPResp(der).getResponseObject();
        return basic.getResponses()[0].getCertStatus();
    }
}
