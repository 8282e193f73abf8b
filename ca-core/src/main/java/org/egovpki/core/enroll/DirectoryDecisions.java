package org.egovpki.core.enroll;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acts on approvals and rejections reviewers made in an LDAP browser. Each decision is reopened
 * (the request goes back to SUBMITTED) and then submitted to {@link EnrollmentService} exactly as
 * a REST call would be, with the operator the directory names as the modifier — so there is no
 * path around the checks: a clerk approving their own request, or a non-reviewer, is refused, the
 * request stays SUBMITTED, and {@code egovDecisionNote} says why.
 */
public final class DirectoryDecisions {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryDecisions.class);
    private static final int BATCH = 100;

    private final DecisionInbox inbox;
    private final OperatorDirectory operators;
    private final EnrollmentService enrollment;
    private final AuditLog audit;
    private final Clock clock;

    public DirectoryDecisions(DecisionInbox inbox, OperatorDirectory operators, EnrollmentService enrollment,
                              AuditLog audit, Clock clock) {
        this.inbox = Objects.requireNonNull(inbox, "inbox");
        this.operators = Objects.requireNonNull(operators, "operators");
        this.enrollment = Objects.requireNonNull(enrollment, "enrollment");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @return how many directory decisions were acted on or refused */
    public int processPending() {
        List<DecisionInbox.PendingDecision> pending = inbox.pending(BATCH);
        int handled = 0;
        for (DecisionInbox.PendingDecision decision : pending) {
            if (decision.confirmed() != RequestState.SUBMITTED) {
                if (inbox.restore(decision)) {
                    handled++;
                    String note = "request " + decision.requestId() + " is already " + decision.confirmed()
                            + "; a decision cannot be changed, so " + decision.requested() + " written by "
                            + decision.modifierDn() + " was undone";
                    inbox.note(decision.requestId(), note);
                    audit.record(AuditEvent.failure(clock.instant(), decision.requested() == RequestState.APPROVED
                                    ? AuditEventType.REQUEST_APPROVED : AuditEventType.REQUEST_REJECTED,
                            decision.modifierDn(), List.of(decision.requestId()), Map.of("channel", "ldap",
                                    "error", note)));
                }
                continue;
            }
            if (!inbox.reopen(decision)) {
                continue;
            }
            handled++;
            Optional<Operator> operator = operators.findByDn(decision.modifierDn());
            if (operator.isEmpty()) {
                String note = decision.modifierDn() + " is not an egov-pki operator; only reviewers bound with "
                        + "their own operator DN can decide requests";
                inbox.note(decision.requestId(), note);
                audit.record(AuditEvent.failure(clock.instant(), decision.requested() == RequestState.APPROVED
                                ? AuditEventType.REQUEST_APPROVED : AuditEventType.REQUEST_REJECTED,
                        decision.modifierDn(), List.of(decision.requestId()), Map.of("channel", "ldap", "error", note)));
                continue;
            }
            try {
                if (decision.requested() == RequestState.APPROVED) {
                    enrollment.approve(operator.get(), decision.requestId());
                } else {
                    enrollment.reject(operator.get(), decision.requestId(), decision.reason());
                }
                LOG.info("Acted on {} of request {} by {} from the directory", decision.requested(),
                        decision.requestId(), decision.modifierDn());
            } catch (DomainException e) {
                LOG.info("Refused {} of request {} by {} from the directory: {}", decision.requested(),
                        decision.requestId(), decision.modifierDn(), e.getMessage());
                inbox.note(decision.requestId(), e.getMessage());
            }
        }
        return handled;
    }
}
