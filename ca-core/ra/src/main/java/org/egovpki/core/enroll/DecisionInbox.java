package org.egovpki.core.enroll;

import java.time.Instant;
import java.util.List;

/**
 * What operators wrote in the directory that the CA has not dealt with yet.
 *
 * <p>A decision is an entry of its own that a reviewer adds below the request in an LDAP browser.
 * Its author is what the directory itself recorded when the entry was added ({@code creatorsName}):
 * operators may add such entries but never modify or delete them, so the author of an entry is the
 * author of the decision value it carries. Nothing else the directory shows — in particular not
 * the last modifier of the request — ever names who decided.
 *
 * <p>A request whose shown state ({@code egovRequestState}) differs from the state the CA last
 * wrote is a change the CA did not make and cannot attribute; it is put back, never acted on.
 */
public interface DecisionInbox {

    /**
     * A decision entry found in the directory.
     *
     * @param entry     the decision entry's DN, what {@link #claim} removes
     * @param requestId the request it was added under
     * @param decision  the decision value as written (APPROVED or REJECTED in any case, or anything else)
     * @param reason    the rejection reason written on the entry, if any
     * @param authorDn  who added the entry, as the directory recorded it at add time (creatorsName)
     * @param addedAt   when the directory says it was added (createTimestamp)
     */
    record Decision(String entry, String requestId, String decision, String reason, String authorDn, Instant addedAt) {
    }

    /**
     * A request whose shown state is not the one the CA last wrote.
     *
     * @param requestId   the request
     * @param shown       the value of {@code egovRequestState} as found
     * @param confirmed   the state the CA last wrote, the one it goes by
     * @param modifierDn  the entry's last modifier (modifiersName), for the record only: it names
     *                    whoever touched the entry last, not necessarily who wrote the state
     */
    record UnconfirmedState(String requestId, String shown, RequestState confirmed, String modifierDn) {
    }

    /** Decision entries not yet acted on, oldest first. */
    List<Decision> decisions(int limit);

    /**
     * Removes the decision entry before the CA acts on it, so that each decision is acted on at
     * most once, however many pollers see it.
     *
     * @return {@code false} if it was gone already (someone else claimed it)
     */
    boolean claim(Decision decision);

    /**
     * Requests whose shown state differs from the CA's own record of it while one of the two is
     * still open (SUBMITTED or APPROVED): its candidates are the work in progress, few, so this is
     * asked at every poll.
     */
    List<UnconfirmedState> unconfirmedStates(int limit);

    /**
     * Requests shown REJECTED that the CA holds as something else. Every rejected request kept is
     * a candidate, so this grows with the directory and is asked only now and then
     * ({@code DirectoryDecisions}' sweep), never at every poll.
     */
    List<UnconfirmedState> unconfirmedRejections(int limit);

    /**
     * Writes the CA's state back over a shown state the CA did not write.
     *
     * @return {@code false} if the entry changed meanwhile
     */
    boolean restore(UnconfirmedState change);

    /** Records on the request what became of the last decision written in the directory, or why a change was undone. */
    void note(String requestId, String note);
}
