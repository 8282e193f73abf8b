package org.egovpki.core.enroll;

import java.util.List;

import org.egovpki.core.certificate.CertificateRecord;

/**
 * Where the RA hands an approved request for issuance: the RA's one way to the CA.
 *
 * <p>The RA decides (two-person rule, auto-approval, lifecycle operations) and stores the request
 * in {@link RequestState#APPROVED}; whatever implements this port turns it into certificates and
 * marks the request {@link RequestState#ISSUED} before returning, so a caller sees the final state
 * in the same call. In the server that is the issuance route (camel-routes), whose steps are the
 * CA's {@code Issuer}; tests may pass the {@code Issuer} itself. The RA never depends on the CA
 * module: the dependency points from the CA to the RA's request model only.
 */
@FunctionalInterface
public interface Issuance {

    /**
     * Issues the certificates of an approved, stored request.
     *
     * @param approved the request as stored, in {@code APPROVED}
     * @param actor the DN of the operator whose decision approved it (for the audit trail)
     * @return the certificate records issued, signing certificate first
     */
    List<CertificateRecord> issue(EnrollmentRequest approved, String actor);
}
