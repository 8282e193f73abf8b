package org.egovpki.core.ocsp;

import static org.assertj.core.api.Assertions.assertThat;
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
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.ocsp.OCSPResponseStatus;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.egovpki.core.DomainException;
import org.egovpki.core.ca.MovableClock;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.ocsp.OcspFixtures.InMemoryStatuses;
import org.egovpki.core.ocsp.OcspFixtures.TestCa;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A locked server's OCSP: stored answers served byte for byte while valid and still true, the
 * unsigned {@code tryLater} for everything else, {@code malformedRequest} as the normal responder.
 */
class LockedOcspResponderTest {

    private static final Duration NEXT_UPDATE = Duration.ofHours(1);

    private final MovableClock clock = new MovableClock(NOW);
    private TestCa ca;
    private BigInteger good;
    private BigInteger revoked;
    private InMemoryStatuses statuses;
    private byte[] goodRequest;
    private byte[] goodAnswer;
    private byte[] revokedRequest;
    private byte[] revokedAnswer;
    private List<PresignedAnswer> persisted;

    /** The answers a running (unlocked) responder pre-signed before the stop. */
    @BeforeEach
    void setUp() {
        ca = OcspFixtures.ca(KeyAlgorithm.SM2);
        good = serial();
        revoked = serial();
        statuses = new InMemoryStatuses().put(ca.name(), good, RevocationStatus.good())
                .put(ca.name(), revoked, RevocationStatus.revoked(NOW.minusSeconds(60), 1));
        OcspResponder running = new OcspResponder(List.of(ca.served()), statuses, clock, new OcspResponder.Settings(
                NEXT_UPDATE, Duration.ofSeconds(60), OcspResponder.Settings.DEFAULT_CACHE_ENTRIES, true, 100));
        goodRequest = request(certId(SHA256, ca.certificate(), good));
        revokedRequest = request(certId(SHA256, ca.certificate(), revoked));
        goodAnswer = running.respond(goodRequest);
        revokedAnswer = running.respond(revokedRequest);
        persisted = running.presignedAnswers();
    }

    @Test
    void aStoredAnswerStillTrueIsServedByteForByteAndVerifiesUnderTheCa() throws Exception {
        LockedOcspResponder locked = new LockedOcspResponder(persisted, statuses, clock);
        clock.advance(NEXT_UPDATE.minusSeconds(1));

        byte[] answer = locked.respond(goodRequest);

        assertThat(answer).isEqualTo(goodAnswer);
        BasicOCSPResp basic = (BasicOCSPResp) new OCSPResp(answer).getResponseObject();
        assertThat(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(BouncyCastle.PROVIDER)
                .build(ca.certificate()))).isTrue();
        assertThat(basic.getResponses()[0].getCertStatus()).isSameAs(CertificateStatus.GOOD);
        assertThat(locked.respond(revokedRequest)).isEqualTo(revokedAnswer);
        assertThat(locked.served()).isEqualTo(2);
        assertThat(locked.refused()).isZero();
    }

    @Test
    void atItsNextUpdateAStoredAnswerIsNoLongerServed() throws Exception {
        LockedOcspResponder locked = new LockedOcspResponder(persisted, statuses, clock);
        clock.advance(NEXT_UPDATE);

        assertThat(status(locked.respond(goodRequest))).isEqualTo(OCSPResponseStatus.TRY_LATER);
        assertThat(locked.refused()).isEqualTo(1);
    }

    /** Revoked by another CA process on the same directory, or recorded before the stop: never "good". */
    @Test
    void aCertificateRevokedSinceIsNotAnsweredGood() throws Exception {
        statuses.put(ca.name(), good, RevocationStatus.revoked(NOW.plusSeconds(10), null));
        LockedOcspResponder locked = new LockedOcspResponder(persisted, statuses, clock);

        assertThat(status(locked.respond(goodRequest))).isEqualTo(OCSPResponseStatus.TRY_LATER);
    }

    @Test
    void theRuleComparesTheStoredStatusWithTheDirectorys() {
        PresignedAnswer goodStored = stored(good);
        PresignedAnswer revokedStored = stored(revoked);
        Instant now = NOW;

        assertThat(goodStored.stated()).isEqualTo(PresignedAnswer.Stated.GOOD);
        assertThat(goodStored.servableAt(now, Optional.of(RevocationStatus.good())))
                .isEqualTo(PresignedAnswer.Verdict.SERVE);
        assertThat(goodStored.servableAt(now, Optional.of(RevocationStatus.revoked(now, 4))))
                .isEqualTo(PresignedAnswer.Verdict.STATUS_CHANGED);
        assertThat(goodStored.servableAt(now, Optional.empty())).isEqualTo(PresignedAnswer.Verdict.NOT_KNOWN);
        assertThat(goodStored.servableAt(goodStored.nextUpdate(), Optional.of(RevocationStatus.good())))
                .isEqualTo(PresignedAnswer.Verdict.EXPIRED);
        assertThat(revokedStored.servableAt(now, Optional.of(RevocationStatus.revoked(now, 1))))
                .isEqualTo(PresignedAnswer.Verdict.SERVE);
        assertThat(revokedStored.servableAt(now, Optional.of(RevocationStatus.good())))
                .isEqualTo(PresignedAnswer.Verdict.STATUS_CHANGED);
    }

    @Test
    void whatWasNotPreSignedGetsTryLater() throws Exception {
        BigInteger other = serial();
        statuses.put(ca.name(), other, RevocationStatus.good());
        LockedOcspResponder locked = new LockedOcspResponder(persisted, statuses, clock);

        assertThat(status(locked.respond(request(certId(SHA256, ca.certificate(), other)))))
                .as("a serial not asked about before the stop").isEqualTo(OCSPResponseStatus.TRY_LATER);
        assertThat(status(locked.respond(request(certId(SHA1, ca.certificate(), good)))))
                .as("another hash algorithm is another CertID").isEqualTo(OCSPResponseStatus.TRY_LATER);
        assertThat(status(locked.respond(request(wrappedNonce(randomBytes(16)), certId(SHA256, ca.certificate(), good)))))
                .as("a nonce cannot be answered without signing").isEqualTo(OCSPResponseStatus.TRY_LATER);
        assertThat(status(locked.respond(request(certId(SHA256, ca.certificate(), good),
                certId(SHA256, ca.certificate(), revoked))))).as("two CertIDs").isEqualTo(OCSPResponseStatus.TRY_LATER);
        assertThat(locked.refused()).isEqualTo(4);
        assertThat(locked.served()).isZero();
    }

    @Test
    void aDirectoryThatIsDownGivesTryLater() throws Exception {
        LockedOcspResponder locked = new LockedOcspResponder(persisted, (issuer, serial) -> {
            throw DomainException.unavailable("directory down", null);
        }, clock);

        assertThat(status(locked.respond(goodRequest))).isEqualTo(OCSPResponseStatus.TRY_LATER);
    }

    @Test
    void malformedRequestsGetMalformedRequestAsFromTheNormalResponder() throws Exception {
        LockedOcspResponder locked = new LockedOcspResponder(persisted, statuses, clock);

        assertThat(status(locked.respond(new byte[0]))).isEqualTo(OCSPResponseStatus.MALFORMED_REQUEST);
        assertThat(status(locked.respond(new byte[] {0x30, 0x03, 0x02, 0x01}))).isEqualTo(
                OCSPResponseStatus.MALFORMED_REQUEST);
        assertThat(locked.refused()).isZero();
    }

    @Test
    void withNothingPersistedEverythingIsTryLater() throws Exception {
        LockedOcspResponder locked = new LockedOcspResponder(List.of(), statuses, clock);

        assertThat(locked.size()).isZero();
        assertThat(status(locked.respond(goodRequest))).isEqualTo(OCSPResponseStatus.TRY_LATER);
    }

    private PresignedAnswer stored(BigInteger serial) {
        return persisted.stream().filter(a -> a.serial().equals(serial)).findFirst().orElseThrow();
    }

    private static int status(byte[] der) throws Exception {
        return new OCSPResp(der).getStatus();
    }
}
