package org.egovpki.core.km.centre;

/**
 * Where a key recovery request stands. Each step is one compare-and-swap on this state, so two
 * operators acting at once cannot both count as the same step.
 */
public enum RecoveryState {
    /** Entered by an operator; no approval yet. */
    SUBMITTED,
    /** One of the two KM roles approved; the other must, as a different person. */
    APPROVING,
    /** Both roles approved: the challenge code is out (subscriber) or the file may be fetched (judicial). */
    APPROVED,
    /** The key was delivered: the code was used, or the judicial file was fetched. */
    RECOVERED,
    /** Refused by a KM approver, with a reason. */
    REJECTED;

    public boolean decided() {
        return this == RECOVERED || this == REJECTED;
    }
}
