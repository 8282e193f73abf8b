package org.egovpki.core.km.centre;

import java.util.List;
import java.util.Optional;

/** Key recovery requests ({@code egovRequestId=<id>,ou=km}), reached only with the KM's own account. */
public interface RecoveryStore {

    /** Stores a new request; {@code CONFLICT} if the id exists. */
    void create(RecoveryRequest request);

    Optional<RecoveryRequest> find(String id);

    /** Requests in {@code state} (all when {@code null}), oldest first, at most {@code limit}. */
    List<RecoveryRequest> list(RecoveryState state, int limit);

    /**
     * Writes {@code updated} if, and only if, the stored request is still in {@code expected}
     * state — one atomic directory operation, so two approvers cannot both be "the first".
     *
     * @return {@code false} if the state had moved on
     */
    boolean transition(RecoveryState expected, RecoveryRequest updated);
}
