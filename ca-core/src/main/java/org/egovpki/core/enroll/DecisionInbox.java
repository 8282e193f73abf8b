package org.egovpki.core.enroll;

import java.util.List;

/**
 * Decisions reviewers wrote straight into the directory (an LDAP browser setting a request's
 * {@code egovRequestState}) that the CA has not acted on yet. The directory, not the editor,
 * says who made the change ({@code modifiersName}).
 */
public interface DecisionInbox {

    /**
     * A decision found in the directory.
     *
     * @param requestId  the request
     * @param requested  APPROVED or REJECTED, as written
     * @param confirmed  the state the CA last wrote; only a SUBMITTED request can be decided
     * @param modifierDn who wrote it, as the directory recorded it
     * @param reason     the rejection reason written beside it, if any
     */
    record PendingDecision(String requestId, RequestState requested, RequestState confirmed, String modifierDn,
                           String reason) {
    }

    /** Decisions written in the directory and not yet acted on, oldest first. */
    List<PendingDecision> pending(int limit);

    /**
     * Puts the request back to SUBMITTED if it still shows the pending decision, so the decision
     * can go through the same checks as any other channel.
     *
     * @return {@code false} if the entry changed meanwhile (someone else handles it)
     */
    boolean reopen(PendingDecision decision);

    /**
     * Writes the CA's state back over a decision written on a request that was already decided
     * (a rejected request set to APPROVED, say): decisions are final.
     *
     * @return {@code false} if the entry changed meanwhile
     */
    boolean restore(PendingDecision decision);

    /** Records on the request why the CA did not act on its last directory decision. */
    void note(String requestId, String note);
}
