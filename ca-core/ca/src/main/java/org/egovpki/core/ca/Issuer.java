package org.egovpki.core.ca;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditLog;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.enroll.EnrollmentRequest;
import org.egovpki.core.enroll.Issuance;
import org.egovpki.core.enroll.RequestState;
import org.egovpki.core.enroll.RequestStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CA's side of the {@link Issuance} port: issues the certificates of an approved request by
 * running its {@link IssuanceJob} through the {@link IssuanceSteps} — intent (written before
 * anything is signed), sign, record, publish, then supersede and complete — and, at start-up,
 * finishes or voids every issuance a crash left half-done ({@link #recoverAll()}), through the
 * same steps.
 *
 * <p>In the server the steps run as the issuance route (camel-routes), given here as the
 * {@link IssuanceFlow}; without Camel ({@link #Issuer(IssuanceSteps, RequestStore, AuditLog, Clock)})
 * they run in the same order in the calling thread.
 */
public final class Issuer implements Issuance {

    private static final Logger LOG = LoggerFactory.getLogger(Issuer.class);

    private final IssuanceSteps steps;
    private final IssuanceFlow flow;
    private final RequestStore requests;
    private final AuditLog audit;
    private final Clock clock;
    private final Duration recoveryGrace;

    /**
     * @param flow how a job goes through the steps (the issuance route in the server)
     * @param requests where recovery finds the approved requests
     */
    public Issuer(IssuanceSteps steps, IssuanceFlow flow, RequestStore requests, AuditLog audit, Clock clock) {
        this(steps, flow, requests, audit, clock, Duration.ZERO);
    }

    /**
     * @param recoveryGrace how recently a request must have been approved for recovery to leave it
     *                      alone: another CA process on the same directory may still be issuing it
     *                      (docs/directory.md "Two CA processes on one directory"); zero with one process
     */
    public Issuer(IssuanceSteps steps, IssuanceFlow flow, RequestStore requests, AuditLog audit, Clock clock,
                  Duration recoveryGrace) {
        this.steps = Objects.requireNonNull(steps, "steps");
        this.flow = Objects.requireNonNull(flow, "flow");
        this.requests = Objects.requireNonNull(requests, "requests");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.recoveryGrace = Objects.requireNonNull(recoveryGrace, "recoveryGrace");
        if (recoveryGrace.isNegative()) {
            throw new IllegalArgumentException("recovery grace must not be negative, was " + recoveryGrace);
        }
    }

    /** Runs the steps in order in the calling thread, without Camel. */
    public Issuer(IssuanceSteps steps, RequestStore requests, AuditLog audit, Clock clock) {
        this(steps, steps::runInOrder, requests, audit, clock);
    }

    /**
     * Issues every certificate the request's profile calls for and completes the request.
     *
     * @param request an APPROVED request
     * @param actor   who caused the issuance (the reviewer, or the RA operator for auto-approval)
     */
    @Override
    public List<CertificateRecord> issue(EnrollmentRequest request, String actor) {
        return flow.run(IssuanceJob.start(request, actor)).issued();
    }

    /**
     * Finishes or voids every half-done issuance. Run at start-up, before new requests are taken.
     *
     * @return how many requests were completed
     */
    public int recover() {
        return recoverAll().completed();
    }

    /**
     * What start-up recovery did: the requests it completed, the ids of those it could not finish
     * (they stay {@code APPROVED}; each failure is logged and audited), and the ids of those it left
     * alone because they were approved within the recovery grace (another process may be issuing them),
     * and the ids of those the issuance refused for good — a rule they no longer meet, e.g. a key
     * reported compromised or another name since their approval: {@code REJECTED} with the reason,
     * audited, and nothing to retry, so they do not stop a start.
     */
    public record Recovery(int completed, List<String> failed, List<String> leftToOthers, List<String> refused) {
        public Recovery {
            failed = List.copyOf(failed);
            leftToOthers = List.copyOf(leftToOthers);
            refused = List.copyOf(refused);
        }

        public Recovery(int completed, List<String> failed) {
            this(completed, failed, List.of(), List.of());
        }
    }

    /**
     * As {@link #recover()}, reporting the requests that could not be finished, so start-up can refuse
     * to go on. A request approved less than the recovery grace ago is left alone: with two CA
     * processes on one directory it may be the other's issuance, still running; finishing it here
     * too would sign its certificate twice. The next recovery after the grace takes it up.
     */
    public Recovery recoverAll() {
        int completed = 0;
        List<String> failed = new ArrayList<>();
        List<String> left = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        Instant recentSince = clock.instant().minus(recoveryGrace);
        for (EnrollmentRequest request : requests.findByState(RequestState.APPROVED, 10_000)) {
            if (!recoveryGrace.isZero() && request.decidedAt() != null && request.decidedAt().isAfter(recentSince)) {
                left.add(request.id());
                continue;
            }
            try {
                Optional<IssuanceJob> job = steps.resume(request);
                if (job.isEmpty()) {
                    continue;
                }
                IssuanceJob done = flow.run(job.get());
                // A request issued from the start counts one, as it always did.
                int certificates = done.recovering() ? done.issued().size() : 0;
                audit.record(AuditEvent.success(clock.instant(), AuditEventType.ISSUANCE_RECOVERED, AuditEvent.SYSTEM,
                        List.of(request.id()), Map.of("certificates", Integer.toString(Math.max(1, certificates)))));
                completed++;
            } catch (RuntimeException e) {
                audit.record(AuditEvent.failure(clock.instant(), AuditEventType.ISSUANCE_RECOVERED, AuditEvent.SYSTEM,
                        List.of(request.id()), Map.of("error", DomainException.describe(e))));
                if (refusedAtIssuance(request.id())) {
                    // The check step refused it (a rule it no longer meets: a compromised key, another
                    // name) and wrote REJECTED with the reason: finished, nothing is left to retry.
                    LOG.warn("Recovery found request {} refused at issuance and REJECTED it: {}", request.id(),
                            e.getMessage());
                    refused.add(request.id());
                } else {
                    LOG.error("Recovery of request {} failed: {}; it stays APPROVED and is retried at the next start",
                            request.id(), e.getMessage());
                    failed.add(request.id());
                }
            }
        }
        if (!left.isEmpty()) {
            LOG.info("Recovery left {} request(s) approved within the last {} alone: another CA process may be "
                    + "issuing them ({})", left.size(), recoveryGrace, left);
        }
        return new Recovery(completed, failed, left, refused);
    }

    /** Whether a request recovery could not finish is no longer APPROVED: the issuance refused it for good. */
    private boolean refusedAtIssuance(String requestId) {
        try {
            return requests.find(requestId).map(r -> r.state() == RequestState.REJECTED).orElse(false);
        } catch (RuntimeException e) {
            return false; // the directory failing as well: unfinished, retried at the next start
        }
    }
}
