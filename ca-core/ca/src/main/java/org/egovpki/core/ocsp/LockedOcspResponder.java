package org.egovpki.core.ocsp;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

import org.egovpki.core.DomainException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OCSP responder of a server started locked (key custody by shares, before the threshold of
 * shares was presented): no CA key is open, so nothing can be signed. It answers from the
 * pre-signed answers persisted before the stop ({@link PresignedSnapshot}), and only when that is
 * still true.
 *
 * <p>Invariants:
 * <ul>
 * <li>Requests are parsed exactly as {@link OcspResponder} parses them: malformed input gets the
 *     same unsigned {@code malformedRequest}.</li>
 * <li>A stored answer is served, byte for byte, only for a nonce-free request with one CertID whose
 *     DER equals the stored one, and only when {@link PresignedAnswer#servableAt} says so with
 *     the status read from the directory for this request: never "good" for a certificate the
 *     directory says is revoked now.</li>
 * <li>Everything else (unknown CertID, a nonce, several CertIDs, an expired answer, a changed
 *     status, a directory that is down) gets the unsigned {@code tryLater} (RFC 6960 §4.2.1),
 *     which OCSP clients understand as "ask again later", never a signed answer made up here.</li>
 * </ul>
 *
 * <p>Thread-safe: the answers are one immutable map; the counters are adders.
 */
public final class LockedOcspResponder {

    private static final Logger LOG = LoggerFactory.getLogger(LockedOcspResponder.class);

    private final Map<DerKey, PresignedAnswer> answers;
    private final CertificateStatusSource statuses;
    private final Clock clock;
    private final LongAdder served = new LongAdder();
    private final LongAdder refused = new LongAdder();

    /**
     * @param answers  the persisted answers (a CertID present twice keeps its latest answer)
     * @param statuses the certificate records' current statuses (read-only LDAP works while locked)
     */
    public LockedOcspResponder(List<PresignedAnswer> answers, CertificateStatusSource statuses, Clock clock) {
        Objects.requireNonNull(answers, "answers");
        this.statuses = Objects.requireNonNull(statuses, "statuses");
        this.clock = Objects.requireNonNull(clock, "clock");
        Map<DerKey, PresignedAnswer> byCertId = new HashMap<>();
        for (PresignedAnswer answer : answers) {
            byCertId.merge(DerKey.of(answer.certIdShared()), answer,
                    (a, b) -> a.thisUpdate().isAfter(b.thisUpdate()) ? a : b);
        }
        this.answers = Map.copyOf(byCertId);
    }

    /**
     * Answers one DER-encoded OCSPRequest: a stored signed answer, or an unsigned
     * {@code malformedRequest}, {@code tryLater} or (on a bug) {@code internalError}. Never throws.
     */
    public byte[] respond(byte[] requestDer) {
        try {
            return answer(requestDer).clone();
        } catch (RuntimeException e) {
            LOG.error("locked OCSP responder failed on a {}-byte request; answering internalError",
                    requestDer == null ? 0 : requestDer.length, e);
            return OcspResponder.INTERNAL_ERROR.clone();
        }
    }

    private byte[] answer(byte[] requestDer) {
        OcspResponder.ParsedRequest request = OcspResponder.parse(requestDer);
        if (request == null) {
            return OcspResponder.MALFORMED_REQUEST;
        }
        if (request.nonce() != null || request.certIds().length != 1) {
            return refuse();
        }
        PresignedAnswer answer = answers.get(PresignedResponses.keyOf(request.certIds()[0]));
        if (answer == null) {
            return refuse();
        }
        Optional<RevocationStatus> current;
        try {
            current = Objects.requireNonNull(statuses.status(answer.caName(), answer.serial()),
                    "CertificateStatusSource returned null");
        } catch (DomainException e) {
            LOG.warn("certificate status store unavailable while locked; answering tryLater: {}", e.getMessage());
            return refuse();
        }
        PresignedAnswer.Verdict verdict = answer.servableAt(clock.instant(), current);
        if (verdict != PresignedAnswer.Verdict.SERVE) {
            LOG.debug("locked OCSP: the stored answer for serial {} of CA {} is not served ({}); tryLater",
                    answer.serial().toString(16), answer.caName(), verdict);
            return refuse();
        }
        served.increment();
        return answer.responseShared();
    }

    private byte[] refuse() {
        refused.increment();
        return OcspResponder.TRY_LATER;
    }

    /** How many stored answers were loaded. */
    public int size() {
        return answers.size();
    }

    /** How many requests were answered with a stored answer. */
    public long served() {
        return served.sum();
    }

    /** How many well-formed requests got {@code tryLater}. */
    public long refused() {
        return refused.sum();
    }
}
