package org.egovpki.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.bouncycastle.asn1.ocsp.OCSPResponseStatus;
import org.egovpki.core.x509.DerTlv;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the OCSP responder answered, read from each response on its way out ({@code OcspHandler}),
 * so cached and fresh answers count alike and the responder in ca-core stays free of metrics:
 * certificate statuses (good, revoked, unknown; one per CertID), error responses by RFC 6960
 * status, and the time to answer. Reading a response's structure costs microseconds; nothing is
 * verified or kept.
 */
public final class OcspMetrics {

    static final String RESPONSES = "egovpki_ocsp_responses";
    static final String ERRORS = "egovpki_ocsp_errors";
    static final String DURATION = "egovpki_ocsp_response_duration";
    static final String PRESIGNED_HITS = "egovpki_ocsp_presigned_hits";
    static final String PRESIGNED_ANSWERS = "egovpki_ocsp_presigned_answers";

    private static final Logger LOG = LoggerFactory.getLogger(OcspMetrics.class);
    /** The RFC 6960 §4.2.1 error statuses, as the RFC spells them. */
    private static final Map<Integer, String> ERROR_STATUSES = Map.of(
            OCSPResponseStatus.MALFORMED_REQUEST, "malformedRequest",
            OCSPResponseStatus.INTERNAL_ERROR, "internalError",
            OCSPResponseStatus.TRY_LATER, "tryLater",
            OCSPResponseStatus.SIG_REQUIRED, "sigRequired",
            OCSPResponseStatus.UNAUTHORIZED, "unauthorized");
    /** The DER tags the response walk meets. */
    private static final int ENUMERATED = 0x0a;
    private static final int OID = 0x06;
    private static final int OCTET_STRING = 0x04;
    private static final int SEQUENCE = 0x30;
    private static final int GENERALIZED_TIME = 0x18;
    private static final int CONTEXT_0 = 0xa0;
    private static final String[] CERT_STATUSES = {"good", "revoked", "unknown"};
    private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1)};

    private final Counter[] statuses = new Counter[CERT_STATUSES.length];
    private final Map<Integer, Counter> errors;
    private final Timer duration;
    private final MeterRegistry registry;
    private LongSupplier presignedHits;
    private IntSupplier presignedEntries;

    /** Registers every series at zero, so rates and the error-ratio alert work from the first scrape. */
    public OcspMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        for (int i = 0; i < CERT_STATUSES.length; i++) {
            statuses[i] = Counter.builder(RESPONSES)
                    .description("Certificate statuses answered in successful OCSP responses (one per CertID), by status")
                    .tag("status", CERT_STATUSES[i]).register(registry);
        }
        errors = Map.copyOf(ERROR_STATUSES.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                Map.Entry::getKey, e -> Counter.builder(ERRORS)
                        .description("OCSP error responses (RFC 6960 responseStatus other than successful), by status")
                        .tag("status", e.getValue()).register(registry))));
        duration = Timer.builder(DURATION)
                .description("Time to answer an OCSP request (cached or signed), every response status")
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }

    /**
     * Registers the responder's pre-signed answers, read at scrape time: the requests answered
     * from them (a counter) and how many are kept (a gauge).
     *
     * @param hits    the responder's count of pre-signed hits, never decreasing
     * @param entries the number of pre-signed answers kept now
     */
    public void presigned(LongSupplier hits, IntSupplier entries) {
        // Micrometer holds a function meter's object weakly: kept here, for as long as the handler holds this.
        this.presignedHits = Objects.requireNonNull(hits, "hits");
        this.presignedEntries = Objects.requireNonNull(entries, "entries");
        FunctionCounter.builder(PRESIGNED_HITS, hits, LongSupplier::getAsLong)
                .description("OCSP requests answered from a pre-signed answer, without signing")
                .register(registry);
        Gauge.builder(PRESIGNED_ANSWERS, entries, IntSupplier::getAsInt)
                .description("Pre-signed OCSP answers kept now")
                .register(registry);
    }

    /**
     * Counts one answer.
     *
     * @param response the DER OCSPResponse sent
     * @param nanos    how long the responder took
     */
    public void answered(byte[] response, long nanos) {
        duration.record(nanos, TimeUnit.NANOSECONDS);
        try {
            count(response);
        } catch (RuntimeException e) {
            // The responder's own output: this would be a bug here, never a client's doing.
            LOG.warn("OCSP metrics could not read a {}-byte response: {}", response == null ? 0 : response.length,
                    e.toString());
        }
    }

    /**
     * Reads the response status and each SingleResponse's certStatus tag by walking the DER headers
     * (RFC 6960 §4.2.1): decoding the response into objects cost a quarter of the responder's time
     * under load, for three numbers.
     */
    private void count(byte[] der) {
        DerTlv response = DerTlv.at(der, 0, der.length, SEQUENCE);
        DerTlv status = DerTlv.at(der, response.contentStart(), response.end(), ENUMERATED);
        int value = status.end() - status.contentStart() == 1 ? der[status.contentStart()] : -1;
        if (value != OCSPResponseStatus.SUCCESSFUL) {
            Counter error = errors.get(value);
            if (error != null) {
                error.increment();
            }
            return;
        }
        DerTlv explicit = DerTlv.at(der, status.end(), response.end(), CONTEXT_0);
        DerTlv responseBytes = DerTlv.at(der, explicit.contentStart(), explicit.end(), SEQUENCE);
        DerTlv type = DerTlv.at(der, responseBytes.contentStart(), responseBytes.end(), OID);
        DerTlv octets = DerTlv.at(der, type.end(), responseBytes.end(), OCTET_STRING);
        DerTlv basic = DerTlv.at(der, octets.contentStart(), octets.end(), SEQUENCE);
        DerTlv data = DerTlv.at(der, basic.contentStart(), basic.end(), SEQUENCE);
        int at = data.contentStart();
        DerTlv field = DerTlv.at(der, at, data.end(), -1);
        if (field.tag() == CONTEXT_0) { // version
            field = DerTlv.at(der, field.end(), data.end(), -1);
        }
        DerTlv producedAt = DerTlv.at(der, field.end(), data.end(), GENERALIZED_TIME); // after the responderID
        DerTlv responses = DerTlv.at(der, producedAt.end(), data.end(), SEQUENCE);
        for (int single = responses.contentStart(); single < responses.end(); ) {
            DerTlv one = DerTlv.at(der, single, responses.end(), SEQUENCE);
            DerTlv certId = DerTlv.at(der, one.contentStart(), one.end(), SEQUENCE);
            int tag = DerTlv.at(der, certId.end(), one.end(), -1).tag() & 0x1f;
            if (tag < statuses.length) {
                statuses[tag].increment();
            }
            single = one.end();
        }
    }
}
