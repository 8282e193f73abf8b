package org.egovpki.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.egovpki.core.DomainException;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.enroll.EnrollmentRequest;
import org.egovpki.core.enroll.Issuance;

/**
 * The RA's {@link Issuance} port, timed: every approval (REST, auto-approval, an LDAP-browser
 * decision, a renewal, rekey, modification or replacement) passes here on its way to the issuance
 * route, so how long issuance takes and how often it fails is measured at one place, outside the
 * domain. Start-up recovery enters the route directly and is not timed here (it is counted by the
 * route metrics, route {@code issuance}).
 */
public final class MeteredIssuance implements Issuance {

    static final String DURATION = "egovpki_issuance_duration";
    static final String FAILURES = "egovpki_issuance_failures";

    /** Latency buckets for issuance: a signature is sub-millisecond, the directory writes are not. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final Issuance issuance;
    private final MeterRegistry registry;

    public MeteredIssuance(Issuance issuance, MeterRegistry registry) {
        this.issuance = Objects.requireNonNull(issuance, "issuance");
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public List<CertificateRecord> issue(EnrollmentRequest approved, String actor) {
        long start = registry.config().clock().monotonicTime();
        String outcome = "failure";
        try {
            List<CertificateRecord> issued = issuance.issue(approved, actor);
            outcome = "success";
            return issued;
        } catch (DomainException e) {
            failure(approved, LifecycleMetrics.label(e.kind()));
            throw e;
        } catch (RuntimeException e) {
            failure(approved, "internal");
            throw e;
        } finally {
            timer(approved.profile(), outcome).record(registry.config().clock().monotonicTime() - start,
                    java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    private Timer timer(String profile, String outcome) {
        return Timer.builder(DURATION)
                .description("Time from approval to certificates issued (intent, sign, record, publish), by profile and "
                        + "outcome")
                .tag("profile", profile)
                .tag("outcome", outcome)
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }

    private void failure(EnrollmentRequest approved, String kind) {
        Counter.builder(FAILURES)
                .description("Approved requests whose issuance failed, by profile and failure kind")
                .tag("profile", approved.profile())
                .tag("kind", kind)
                .register(registry).increment();
    }
}
