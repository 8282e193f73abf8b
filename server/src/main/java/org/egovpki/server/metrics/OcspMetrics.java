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
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ocsp.BasicOCSPResponse;
import org.bouncycastle.asn1.ocsp.OCSPResponse;
import org.bouncycastle.asn1.ocsp.OCSPResponseStatus;
import org.bouncycastle.asn1.ocsp.SingleResponse;
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
            OCSPResponse parsed = OCSPResponse.getInstance(response);
            int status = parsed.getResponseStatus().getIntValue();
            if (status != OCSPResponseStatus.SUCCESSFUL) {
                Counter error = errors.get(status);
                if (error != null) {
                    error.increment();
                }
                return;
            }
            BasicOCSPResponse basic = BasicOCSPResponse.getInstance(parsed.getResponseBytes().getResponse().getOctets());
            ASN1Sequence singles = basic.getTbsResponseData().getResponses();
            for (int i = 0; i < singles.size(); i++) {
                int tag = SingleResponse.getInstance(singles.getObjectAt(i)).getCertStatus().getTagNo();
                if (tag >= 0 && tag < statuses.length) {
                    statuses[tag].increment();
                }
            }
        } catch (RuntimeException e) {
            // The responder's own output: this would be a bug here, never a client's doing.
            LOG.warn("OCSP metrics could not read a {}-byte response: {}", response == null ? 0 : response.length,
                    e.toString());
        }
    }
}
