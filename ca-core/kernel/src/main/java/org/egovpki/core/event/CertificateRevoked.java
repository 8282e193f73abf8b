package org.egovpki.core.event;

import java.util.Objects;
import org.egovpki.core.certificate.CertificateRecord;

/**
 * A certificate was revoked: by an operator, its subscriber, a signed request, or as superseded
 * by the rekey, modification or replacement issued for it.
 *
 * @param certificate the record as stored, REVOKED
 * @param superseded whether the revocation is a supersession by a re-issued certificate
 */
public record CertificateRevoked(CertificateRecord certificate, boolean superseded) implements LifecycleEvent {

    public CertificateRevoked {
        Objects.requireNonNull(certificate, "certificate");
    }

    /** The name of the CA whose CRL must now list the certificate. */
    public String issuer() {
        return certificate.issuer();
    }
}
