package org.egovpki.core.enroll;

import java.util.List;
import java.util.Optional;

/** Enrollment requests in the directory ({@code ou=requests}). */
public interface RequestStore {

    /** Stores a new request; {@code CONFLICT} if the id exists. */
    void create(EnrollmentRequest request);

    Optional<EnrollmentRequest> find(String id);

    /** Requests in the given state, oldest first, at most {@code limit}. */
    List<EnrollmentRequest> findByState(RequestState state, int limit);

    /**
     * Writes {@code updated} if, and only if, the stored request is still in {@code expected}
     * state — one atomic directory operation, so two reviewers cannot both decide a request.
     *
     * @return {@code false} if the state had moved on
     */
    boolean transition(RequestState expected, EnrollmentRequest updated);
}
