package org.egovpki.routes;

import java.util.Objects;
import org.egovpki.core.event.CaRevoked;
import org.egovpki.core.event.CertificateIssued;
import org.egovpki.core.event.CertificateRevoked;
import org.egovpki.core.event.LifecycleEvent;
import org.egovpki.core.ocsp.OcspResponder;

/**
 * Lifecycle-event consumer that keeps the OCSP answers in step with the certificates' statuses:
 * <ul>
 * <li>a revoked certificate's cached answers go at once (the record already says REVOKED, so the
 *     next answer is built fresh), and its pre-signed answers are replaced by ones signed with the
 *     revocation; so do the parent's answers about a revoked CA's own certificate (the CA entry
 *     already says REVOKED);</li>
 * <li>an issued certificate's answer is signed ahead of its first request when
 *     {@code ocsp.presignAhead} is on ({@link OcspResponder#presignIssued}, which never throws:
 *     a failure only means the first request signs).</li>
 * </ul>
 */
public final class OcspStatusChanges {

    private final OcspResponder responder;

    public OcspStatusChanges(OcspResponder responder) {
        this.responder = Objects.requireNonNull(responder, "responder");
    }

    public void on(LifecycleEvent event) {
        if (event instanceof CertificateRevoked revoked) {
            responder.revoked(revoked.issuer(), revoked.certificate().serial());
        } else if (event instanceof CaRevoked ca) {
            responder.invalidateCaCertificate(ca.parent(), ca.ca());
        } else if (event instanceof CertificateIssued issued) {
            responder.presignIssued(issued.certificate().issuer(), issued.certificate().serial(),
                    issued.certificate().notAfter());
        }
    }
}
