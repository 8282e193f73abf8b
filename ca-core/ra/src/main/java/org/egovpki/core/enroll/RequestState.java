package org.egovpki.core.enroll;

import java.util.Map;
import java.util.Set;

/**
 * The life of an enrollment request (REQUIREMENTS §5): {@code SUBMITTED → APPROVED | REJECTED},
 * {@code APPROVED → ISSUED} (or {@code REJECTED} when issuance finds the subject DN taken meanwhile),
 * and {@code CANCELLED} from {@code SUBMITTED}. Terminal states never change again.
 */
public enum RequestState {
    SUBMITTED,
    APPROVED,
    REJECTED,
    ISSUED,
    CANCELLED;

    private static final Map<RequestState, Set<RequestState>> NEXT = Map.of(
            SUBMITTED, Set.of(APPROVED, REJECTED, CANCELLED),
            APPROVED, Set.of(ISSUED, REJECTED),
            REJECTED, Set.of(),
            ISSUED, Set.of(),
            CANCELLED, Set.of());

    public boolean canMoveTo(RequestState next) {
        return NEXT.get(this).contains(next);
    }
}
