package org.egovpki.routes;

import java.util.Objects;
import org.egovpki.core.ca.KeyManagementLink;
import org.egovpki.core.event.CertificateRevoked;
import org.egovpki.core.event.LifecycleEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lifecycle-event consumer: a revoked encryption certificate's key is retired at the KM, never
 * destroyed before its retention ends. A KM failure is logged and does not fail the revocation: the
 * key stays ACTIVE at the KM, still recoverable and still kept.
 */
public final class KmRetirement {

    private static final Logger LOG = LoggerFactory.getLogger(KmRetirement.class);

    private final KeyManagementLink km;

    public KmRetirement(KeyManagementLink km) {
        this.km = Objects.requireNonNull(km, "km");
    }

    public void on(LifecycleEvent event) {
        if (!(event instanceof CertificateRevoked revoked)) {
            return;
        }
        try {
            km.retire(revoked.certificate());
        } catch (RuntimeException e) {
            LOG.error("The KM could not retire the key of revoked certificate {}: {}; it stays ACTIVE there "
                    + "(still recoverable, still kept)", revoked.certificate().serialHex(), e.getMessage());
        }
    }
}
