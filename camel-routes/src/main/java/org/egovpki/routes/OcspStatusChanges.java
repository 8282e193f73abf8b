package org.egovpki.routes;

import java.util.Objects;
import org.egovpki.core.event.CaRevoked;
import org.egovpki.core.event.CertificateRevoked;
import org.egovpki.core.event.LifecycleEvent;
import org.egovpki.core.ocsp.OcspResponder;

/**
 * Lifecycle-event consumer: a revoked certificate's cached OCSP answers go at once (the record
 * already says REVOKED, so the next answer is built fresh), and its pre-signed answers are
 * replaced by ones signed with the revocation; so do the parent's answers about a revoked CA's
 * own certificate (the CA entry already says REVOKED).
 */
public final class OcspInvalidation {

    private final OcspResponder responder;

    public OcspInvalidation(OcspResponder responder) {
        this.responder = Objects.requireNonNull(responder, "responder");
    }

    public void on(LifecycleEvent event) {
        if (event instanceof CertificateRevoked revoked) {
            responder.invalidate(revoked.issuer(), revoked.certificate().serial());
        } else if (event instanceof CaRevoked ca) {
            responder.invalidateCaCertificate(ca.parent(), ca.ca());
        }
    }
}
