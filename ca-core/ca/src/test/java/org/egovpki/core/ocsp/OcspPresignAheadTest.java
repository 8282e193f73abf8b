package org.egovpki.core.ocsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.egovpki.core.ocsp.OcspFixtures.NOW;
import static org.egovpki.core.ocsp.OcspFixtures.SHA1;
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
import java.util.function.Consumer;

import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.egovpki.core.DomainException;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.ca.MovableClock;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.ocsp.OcspFixtures.InMemoryStatuses;
import org.egovpki.core.ocsp.OcspFixtures.TestCa;
import org.egovpki.core.ocsp.UnexpiredCertificates.Unexpired;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Answers signed ahead of any request ({@link OcspResponder#presignAhead}): the first request for
 * an unexpired certificate finds its answer, which is kept until the certificate's notAfter and
 * never states a status older than a revocation.
 */
class OcspPresignAheadTest {

    private static final Duration NEXT_UPDATE = Duration.ofHours(1);
    private static final Instant NOT_AFTER = NOW.plus(Duration.ofHours(3));
    private static final Instant REVOKED_AT = NOW.minusSeconds(600);

    private final MovableClock clock = new MovableClock(NOW);
    private TestCa ca;
    private BigInteger good;
    private BigInteger revoked;
    private InMemoryStatuses statuses;
    private final AtomicInteger statusReads = new AtomicInteger();
    private final List<Unexpired> unexpired = new ArrayList<>();

    @BeforeEach
    void setUp() {
        ca = OcspFixtures.ca(KeyAlgorithm.SM2);
        good = serial();
        revoked = serial();
        RevocationStatus revocation = RevocationStatus.revoked(REVOKED_AT, CRLReason.keyCompromise);
        statuses = new InMemoryStatuses().put(ca.name(), good, RevocationStatus.good()).put(ca.name(), revoked,
                revocation);
        unexpired.add(new Unexpired(ca.name(), good, RevocationStatus.good(), NOT_AFTER));
        unexpired.add(new Unexpired(ca.name(), revoked, revocation, NOT_AFTER));
    }

    @Test
    void theFirstRequestForAnUnexpiredCertificateIsAnsweredWithoutSigningOrReading() throws Exception {
        OcspResponder responder = responder(100);
        responder.presignAhead(pagesOf(1));

        assertThat(responder.refreshPresigned()).isEqualTo(2);
        assertThat(responder.presignedSize()).isEqualTo(2);
        assertThat(statusReads).as("the walk signs with the statuses its pages were read with").hasValue(0);

        BasicOCSPResp goodAnswer = basic(responder.respond(request(asClientsSendIt(good))));
        BasicOCSPResp revokedAnswer = basic(responder.respond(request(asClientsSendIt(revoked))));
        assertThat(responder.presignedHits()).as("both the first requests, as OpenSSL and the JDK send them")
                .isEqualTo(2);
        assertThat(statusReads).hasValue(0);
        assertThat(goodAnswer.getResponses()[0].getCertStatus()).isSameAs(CertificateStatus.GOOD);
        assertThat(goodAnswer.isSignatureValid(new JcaContentVerifierProviderBuilder()
                .setProvider(BouncyCastle.PROVIDER).build(ca.signer().publicKey()))).isTrue();
        RevokedStatus status = (RevokedStatus) revokedAnswer.getResponses()[0].getCertStatus();
        assertThat(status.getRevocationTime().toInstant()).isEqualTo(REVOKED_AT.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        assertThat(status.getRevocationReason()).isEqualTo(CRLReason.keyCompromise);
    }

    /** SHA-256 hashes, or SHA-1 without the NULL parameters: signed on the first request, as before. */
    @Test
    void anotherCertIdFormIsStillSignedOnItsFirstRequest() {
        OcspResponder responder = responder(100);
        responder.presignAhead(pagesOf(10));
        responder.refreshPresigned();

        responder.respond(request(certId(SHA256, ca.certificate(), good)));
        responder.respond(request(certId(SHA1, ca.certificate(), good)));

        assertThat(responder.presignedHits()).isZero();
        assertThat(statusReads).hasValue(2);
        assertThat(responder.presignedSize()).isEqualTo(4);
    }

    @Test
    void answersSignedAheadAreReSignedUnaskedUntilTheCertificateExpires() {
        OcspResponder responder = responder(100);
        responder.presignAhead(pagesOf(10));
        responder.refreshPresigned();

        // Due from half the validity, spread over the next eighth so one walk's answers are not all due at once.
        clock.advance(NEXT_UPDATE.dividedBy(2).plus(NEXT_UPDATE.dividedBy(8)));
        assertThat(responder.refreshPresigned()).as("re-signed though nobody asked").isEqualTo(2);
        assertThat(responder.presignedSize()).isEqualTo(2);

        clock.set(NOT_AFTER.plusSeconds(1));
        assertThat(responder.refreshPresigned()).as("expired: nothing signed ahead any more").isZero();
        assertThat(responder.presignedSize()).as("dropped, like any answer nobody asked for").isZero();
    }

    @Test
    void theWalkRunsAgainEveryHalfNextUpdateAndSignsOnlyWhatIsMissing() {
        OcspResponder responder = responder(100);
        CountingPages pages = new CountingPages(pagesOf(10));
        responder.presignAhead(pages);
        responder.refreshPresigned();
        BigInteger later = serial();
        statuses.put(ca.name(), later, RevocationStatus.good());
        unexpired.add(new Unexpired(ca.name(), later, RevocationStatus.good(), NOT_AFTER));

        clock.advance(NEXT_UPDATE.dividedBy(2).minusSeconds(1));
        assertThat(responder.refreshPresigned()).isZero();
        assertThat(pages.walks).hasValue(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(responder.refreshPresigned()).as("the new certificate, and those of the two already due")
                .isBetween(1, 3);
        assertThat(pages.walks).hasValue(2);
        assertThat(responder.presignedSize()).isEqualTo(3);
    }

    /** One walk's answers fall due spread over an eighth of the validity, not all in one sweep. */
    @Test
    void theAnswersOfOneWalkFallDueSpreadOverAnEighthOfTheValidity() {
        for (int i = 0; i < 40; i++) {
            BigInteger serial = serial();
            statuses.put(ca.name(), serial, RevocationStatus.good());
            unexpired.add(new Unexpired(ca.name(), serial, RevocationStatus.good(), NOT_AFTER));
        }
        OcspResponder responder = responder(100);
        responder.presignAhead(pagesOf(10));
        assertThat(responder.refreshPresigned()).isEqualTo(42);

        clock.advance(NEXT_UPDATE.dividedBy(2).plus(NEXT_UPDATE.dividedBy(16)));
        int halfway = responder.refreshPresigned();
        clock.advance(NEXT_UPDATE.dividedBy(16));
        int rest = responder.refreshPresigned();

        assertThat(halfway).as("some due in the first half of the eighth").isBetween(1, 41);
        assertThat(halfway + rest).as("all due by its end").isEqualTo(42);
    }

    /** The page said good, the revocation came before the page was handed over: its answer says revoked. */
    @Test
    void aRevocationAfterAPageWasReadIsNotOverwrittenByThePagesStaleStatus() throws Exception {
        OcspResponder responder = responder(100);
        responder.presignAhead((at, page) -> {
            List<Unexpired> read = List.copyOf(unexpired);
            RevocationStatus revocation = RevocationStatus.revoked(NOW, CRLReason.cessationOfOperation);
            statuses.put(ca.name(), good, revocation);
            responder.invalidate(ca.name(), good);
            page.accept(read);
        });

        responder.refreshPresigned();

        assertThat(statusReads).as("the page's statuses were read again, one by one").hasValue(2);
        byte[] answer = responder.respond(request(asClientsSendIt(good)));
        assertThat(responder.presignedHits()).isEqualTo(1);
        RevokedStatus status = (RevokedStatus) basic(answer).getResponses()[0].getCertStatus();
        assertThat(status.getRevocationReason()).isEqualTo(CRLReason.cessationOfOperation);
    }

    @Test
    void aNewCertificatesAnswerIsSignedAtIssuanceWithTheStatusReadThen() throws Exception {
        OcspResponder responder = responder(100);
        responder.presignAhead(pagesOf(10));

        assertThat(responder.presignIssued(ca.name(), good, NOT_AFTER)).isTrue();
        assertThat(responder.presignIssued(ca.name(), revoked, NOT_AFTER)).isTrue();
        assertThat(responder.presignIssued("another-ca", good, NOT_AFTER)).as("a CA not served").isFalse();
        assertThat(responder.presignIssued(ca.name(), serial(), NOT_AFTER)).as("a serial the CA never issued")
                .isFalse();

        assertThat(statusReads).hasValue(3);
        responder.respond(request(asClientsSendIt(good)));
        byte[] answer = responder.respond(request(asClientsSendIt(revoked)));
        assertThat(responder.presignedHits()).isEqualTo(2);
        assertThat(basic(answer).getResponses()[0].getCertStatus()).isInstanceOf(RevokedStatus.class);
    }

    @Test
    void nothingIsSignedAheadUnlessTurnedOn() {
        OcspResponder responder = responder(100);

        assertThat(responder.presignIssued(ca.name(), good, NOT_AFTER)).isFalse();
        assertThat(responder.refreshPresigned()).isZero();
        assertThat(responder.presignedSize()).isZero();
    }

    /** Nine tenths of the store at most are signed ahead: the answers relying parties ask for always find room. */
    @Test
    void aFullStoreSignsAheadNoFurtherAndKeepsRoomForWhatIsAskedFor() throws Exception {
        List<BigInteger> serials = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            BigInteger serial = serial();
            statuses.put(ca.name(), serial, RevocationStatus.good());
            unexpired.add(new Unexpired(ca.name(), serial, RevocationStatus.good(), NOT_AFTER));
            serials.add(serial);
        }
        CountingPages pages = new CountingPages(pagesOf(4));
        OcspResponder responder = responder(10);
        responder.presignAhead(pages);

        assertThat(responder.refreshPresigned()).isEqualTo(9);
        assertThat(pages.pages).as("the walk stops reading once the room is used").hasValueLessThan(4);
        assertThat(responder.presignIssued(ca.name(), serials.get(11), NOT_AFTER)).isFalse();

        byte[] request = request(asClientsSendIt(serials.get(11)));
        responder.respond(request);
        responder.respond(request);
        assertThat(responder.presignedSize()).as("the asked-for answer is kept beside them").isEqualTo(10);
        assertThat(responder.presignedHits()).isEqualTo(1);
    }

    /** An answer signed ahead and then revoked is re-signed, and still kept ahead until its notAfter. */
    @Test
    void aRevokedAnswerSignedAheadStaysKeptAhead() throws Exception {
        OcspResponder responder = responder(100);
        responder.presignAhead(pagesOf(10));
        responder.refreshPresigned();
        statuses.put(ca.name(), good, RevocationStatus.revoked(NOW, CRLReason.superseded));
        responder.invalidate(ca.name(), good);

        clock.advance(NEXT_UPDATE.dividedBy(2).plus(NEXT_UPDATE.dividedBy(8)));
        assertThat(responder.refreshPresigned()).as("both re-signed though nobody asked").isEqualTo(2);
        byte[] answer = responder.respond(request(asClientsSendIt(good)));
        assertThat(responder.presignedHits()).isEqualTo(1);
        assertThat(basic(answer).getResponses()[0].getCertStatus()).isInstanceOf(RevokedStatus.class);
    }

    /** An answer first kept because someone asked is kept ahead from the walk on, not signed twice. */
    @Test
    void anAnswerAskedForBeforeTheWalkIsKeptAheadFromThenOn() throws Exception {
        OcspResponder responder = responder(100);
        responder.respond(request(asClientsSendIt(good)));
        responder.presignAhead(pagesOf(10));
        assertThat(responder.refreshPresigned()).as("only the other one is signed").isEqualTo(1);

        clock.advance(NEXT_UPDATE.dividedBy(2).plus(NEXT_UPDATE.dividedBy(8)));
        responder.refreshPresigned();
        clock.advance(NEXT_UPDATE.dividedBy(2).plus(NEXT_UPDATE.dividedBy(8)));
        responder.refreshPresigned();
        assertThat(responder.presignedSize()).as("kept, though nobody asked since").isEqualTo(2);
    }

    @Test
    void aWalkThatFailsIsLoggedTheSweepStillRunsAndTheNextWalkIsInHalfANextUpdate() throws Exception {
        OcspResponder responder = responder(100);
        byte[] request = request(certId(SHA256, ca.certificate(), good));
        responder.respond(request);
        responder.respond(request);
        AtomicInteger walks = new AtomicInteger();
        responder.presignAhead((at, page) -> {
            walks.incrementAndGet();
            throw new IllegalStateException("an unreadable record");
        });
        clock.advance(NEXT_UPDATE.dividedBy(2));

        assertThat(responder.refreshPresigned()).as("the asked-for answer is re-signed by the sweep").isEqualTo(1);
        responder.refreshPresigned();
        assertThat(walks).as("not walked again at every refresh").hasValue(1);
        clock.advance(NEXT_UPDATE.dividedBy(2));
        responder.refreshPresigned();
        assertThat(walks).hasValue(2);
    }

    @Test
    void aSettingsChangeDuringAWalkAbandonsItAndTheNewStoreIsWalkedAtTheNextRefresh() {
        OcspResponder responder = responder(100);
        AtomicInteger walks = new AtomicInteger();
        UnexpiredCertificates pages = pagesOf(1);
        responder.presignAhead((at, page) -> pages.forEachPage(at, certificates -> {
            if (walks.get() == 0) {
                walks.incrementAndGet();
                responder.updateSettings(settings(50));
            }
            page.accept(certificates);
        }));

        assertThat(responder.refreshPresigned()).isZero();
        assertThat(responder.presignedSize()).isZero();
        assertThat(responder.refreshPresigned()).as("walked again at once, into the new store").isEqualTo(2);
    }

    @Test
    void aStoreOutageStopsTheWalkAndTheNextRefreshTriesAgain() {
        OcspResponder responder = responder(100);
        AtomicInteger calls = new AtomicInteger();
        responder.presignAhead((at, page) -> {
            if (calls.incrementAndGet() == 1) {
                throw DomainException.unavailable("directory down", null);
            }
            pagesOf(10).forEachPage(at, page);
        });

        assertThat(responder.refreshPresigned()).isZero();
        assertThat(responder.refreshPresigned()).isEqualTo(2);
    }

    @Test
    void aCaServedWithSeveralKeysIsLeftToRequests() {
        TestCa sameNameNewKey = OcspFixtures.ca(KeyAlgorithm.SM2, ca.name(), OcspFixtures.CLOCK);
        OcspResponder responder = new OcspResponder(List.of(ca.served(), sameNameNewKey.served()), counted(), clock,
                settings(100));
        responder.presignAhead(pagesOf(10));

        assertThat(responder.refreshPresigned()).isZero();
        assertThat(responder.presignIssued(ca.name(), good, NOT_AFTER)).isFalse();
    }

    /** The CertID OpenSSL, the JDK, NSS and Bouncy Castle's {@code HASH_SHA1} make: SHA-1, NULL parameters. */
    private CertificateID asClientsSendIt(BigInteger serial) throws Exception {
        return new CertificateID(new JcaDigestCalculatorProviderBuilder().setProvider(BouncyCastle.PROVIDER).build()
                .get(CertificateID.HASH_SHA1), new JcaX509CertificateHolder(ca.certificate()), serial);
    }

    private UnexpiredCertificates pagesOf(int size) {
        return (at, page) -> {
            List<Unexpired> current = new ArrayList<>();
            for (Unexpired certificate : unexpired) {
                if (!certificate.notAfter().isBefore(at)) {
                    current.add(certificate);
                }
                if (current.size() == size) {
                    page.accept(current);
                    current = new ArrayList<>();
                }
            }
            if (!current.isEmpty()) {
                page.accept(current);
            }
        };
    }

    private OcspResponder responder(int maxEntries) {
        return new OcspResponder(List.of(ca.served()), counted(), clock, settings(maxEntries));
    }

    private CertificateStatusSource counted() {
        return (issuer, serial) -> {
            statusReads.incrementAndGet();
            return statuses.status(issuer, serial);
        };
    }

    private static OcspResponder.Settings settings(int maxEntries) {
        return new OcspResponder.Settings(NEXT_UPDATE, Duration.ofSeconds(60),
                OcspResponder.Settings.DEFAULT_CACHE_ENTRIES, true, maxEntries);
    }

    private static BasicOCSPResp basic(byte[] der) throws Exception {
        OCSPResp response = new OCSPResp(der);
        assertThat(response.getStatus()).isZero();
        return (BasicOCSPResp) response.getResponseObject();
    }

    /** Counts the walks. */
    private static final class CountingPages implements UnexpiredCertificates {
        private final UnexpiredCertificates delegate;
        final AtomicInteger walks = new AtomicInteger();
        final AtomicInteger pages = new AtomicInteger();

        CountingPages(UnexpiredCertificates delegate) {
            this.delegate = delegate;
        }

        @Override
        public void forEachPage(Instant at, Consumer<List<Unexpired>> page) {
            walks.incrementAndGet();
            delegate.forEachPage(at, certificates -> {
                pages.incrementAndGet();
                page.accept(certificates);
            });
        }
    }
}
