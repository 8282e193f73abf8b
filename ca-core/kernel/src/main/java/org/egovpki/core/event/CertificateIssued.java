package org.egovpki.core.event;

import java.util.Objects;
import org.egovpki.core.certificate.CertificateRecord;

/**
 * A certificate was issued and its request completed (the record is PUBLISHED, the request ISSUED).
 *
 * @param certificate the record as stored
 * @param requestId the request it was issued for
 * @param occasion a new application, a renewal, or a re-issue (rekey, modification, replacement)
 */
public record CertificateIssued(CertificateRecord certificate, String requestId, Occasion occasion)
        implements LifecycleEvent {

    /** Why the certificate was issued, as its consumers (e.g. the sync) distinguish it. */
    public enum Occasion {
        /** A new application. */
        NEW,
        /** A renewal: same key, the original stays valid until it expires. */
        RENEWED,
        /** A rekey, modification or replacement: the original is superseded. */
        REISSUED
    }

    public CertificateIssued {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(occasion, "occasion");
    }
}
