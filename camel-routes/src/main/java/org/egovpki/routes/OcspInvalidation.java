package org.egovpki.routes;

import java.util.Objects;
import org.egovpki.core.event.CertificateRevoked;
import org.egovpki.core.event.LifecycleEvent;
import org.egovpki.core.ocsp.OcspResponder;

/**
 * Lifecycle-event consumer: a revoked certificate's cached OCSP answers go at once (the record
 * already says REVOKED, so the next answer is built fresh).
 */
public final class OcspInvalidation {

    private final OcspResponder responder;

    public OcspInvalidation(OcspResponder responder) {
        this.responder = Objects.requireNonNull(responder, "responder");
    }

    public void on(LifecycleEvent event) {
        if (event instanceof CertificateRevoked revoked) {
            responder.invalidate(revoked.issuer(), revoked.certificate().serial());
        }
    }
}
