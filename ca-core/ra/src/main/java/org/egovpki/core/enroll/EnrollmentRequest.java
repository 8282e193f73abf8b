package org.egovpki.core.enroll;

import org.egovpki.core.enroll.validation.RegistrationData;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.egovpki.core.profile.CertificateType;

/**
 * An enrollment request as the directory keeps it (entry {@code egovRequestId=<id>,ou=requests}).
 * Immutable: every state change produces a new value through the {@code with...} methods, and
 * the store writes it conditionally on the previous state.
 *
 * @param id                 request id (URL-safe)
 * @param state              where the request is in its life
 * @param csrDer             the PKCS#10 request as submitted (DER)
 * @param profile            certificate profile name
 * @param type               certificate type of the profile
 * @param subscriberId       the subscriber the certificate is for
 * @param subjectDn          canonical subject DN (what uniqueness is checked on)
 * @param registration       registration data submitted with the request
 * @param businessType       the e-government business the certificate serves
 * @param region             administrative region code
 * @param publishOptOut      the subscriber asked not to publish the certificate in the directory
 * @param challengeHash      salted hash of the challenge phrase (never the phrase)
 * @param agreementAcceptedAt when the subscriber accepted the subscriber agreement
 * @param enteredBy          DN of the operator who entered it
 * @param reviewedBy         DN of the reviewer who decided it, or {@code null}
 * @param submittedAt        when it was entered
 * @param decidedAt          when it was approved/rejected/cancelled, or {@code null}
 * @param issuedAt           when issuance completed, or {@code null}
 * @param rejectionReason    why it was rejected, or {@code null}
 * @param resultSerials      serials (hex) of the certificates issued for it
 * @param kind               new application, renewal, rekey, modification or replacement
 * @param originalSerial     serial (lower-case hex) of the certificate this request follows, for every
 *                           kind but NEW; {@code null} for NEW. Its issuer is found through the
 *                           certificate records of the same subscriber.
 */
public record EnrollmentRequest(
        String id,
        RequestState state,
        byte[] csrDer,
        String profile,
        CertificateType type,
        String subscriberId,
        String subjectDn,
        RegistrationData registration,
        String businessType,
        String region,
        boolean publishOptOut,
        String challengeHash,
        Instant agreementAcceptedAt,
        String enteredBy,
        String reviewedBy,
        Instant submittedAt,
        Instant decidedAt,
        Instant issuedAt,
        String rejectionReason,
        List<String> resultSerials,
        RequestKind kind,
        String originalSerial) {

    public EnrollmentRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(subscriberId, "subscriberId");
        Objects.requireNonNull(subjectDn, "subjectDn");
        Objects.requireNonNull(registration, "registration");
        Objects.requireNonNull(enteredBy, "enteredBy");
        Objects.requireNonNull(submittedAt, "submittedAt");
        Objects.requireNonNull(kind, "kind");
        if ((kind == RequestKind.NEW) != (originalSerial == null)) {
            throw new IllegalArgumentException("request " + id + " of kind " + kind
                    + (originalSerial == null ? " names no original certificate" : " names an original certificate"));
        }
        csrDer = csrDer.clone();
        resultSerials = resultSerials == null ? List.of() : List.copyOf(resultSerials);
    }

    /** A first application ({@link RequestKind#NEW}). */
    public EnrollmentRequest(String id, RequestState state, byte[] csrDer, String profile, CertificateType type,
                             String subscriberId, String subjectDn, RegistrationData registration,
                             String businessType, String region, boolean publishOptOut, String challengeHash,
                             Instant agreementAcceptedAt, String enteredBy, String reviewedBy, Instant submittedAt,
                             Instant decidedAt, Instant issuedAt, String rejectionReason, List<String> resultSerials) {
        this(id, state, csrDer, profile, type, subscriberId, subjectDn, registration, businessType, region,
                publishOptOut, challengeHash, agreementAcceptedAt, enteredBy, reviewedBy, submittedAt, decidedAt,
                issuedAt, rejectionReason, resultSerials, RequestKind.NEW, null);
    }

    @Override
    public byte[] csrDer() {
        return csrDer.clone();
    }

    public EnrollmentRequest approved(String reviewer, Instant at) {
        return with(RequestState.APPROVED, reviewer, at, null, null, resultSerials);
    }

    public EnrollmentRequest rejected(String reviewer, Instant at, String reason) {
        return with(RequestState.REJECTED, reviewer, at, null, reason, resultSerials);
    }

    /** An approved request that issuance had to refuse (the subject DN was taken meanwhile). */
    public EnrollmentRequest rejectedAtIssuance(Instant at, String reason) {
        return with(RequestState.REJECTED, reviewedBy, at, null, reason, resultSerials);
    }

    public EnrollmentRequest cancelled(Instant at) {
        return with(RequestState.CANCELLED, reviewedBy, at, null, null, resultSerials);
    }

    public EnrollmentRequest issued(Instant at, List<String> serials) {
        return with(RequestState.ISSUED, reviewedBy, decidedAt, at, rejectionReason, serials);
    }

    private EnrollmentRequest with(RequestState next, String reviewer, Instant decided, Instant issued, String reason,
                                   List<String> serials) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("request " + id + " cannot move from " + state + " to " + next);
        }
        return new EnrollmentRequest(id, next, csrDer, profile, type, subscriberId, subjectDn, registration,
                businessType, region, publishOptOut, challengeHash, agreementAcceptedAt, enteredBy, reviewer,
                submittedAt, decided, issued, reason, serials, kind, originalSerial);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnrollmentRequest r && id.equals(r.id) && state == r.state
                && Objects.equals(reviewedBy, r.reviewedBy) && resultSerials.equals(r.resultSerials);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, state);
    }

    @Override
    public String toString() {
        return "EnrollmentRequest[" + id + ", " + kind + (originalSerial == null ? "" : " of " + originalSerial) + ", "
                + state + ", " + profile + ", " + subjectDn + "]";
    }
}
