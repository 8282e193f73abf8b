package org.egovpki.routes;

import java.util.Objects;
import org.egovpki.core.ca.CaRegistry;
import org.egovpki.core.ca.CertificateAuthority;
import org.egovpki.core.ca.CrlPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The bean the CRL routes call: issues a full CRL for every CA this server operates. */
public final class CrlJobs {

    private static final Logger LOG = LoggerFactory.getLogger(CrlJobs.class);
    static final String ACTOR = "crl-scheduler";

    private final CaRegistry registry;
    private final CrlPublisher publisher;

    public CrlJobs(CaRegistry registry, CrlPublisher publisher) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
    }

    /** Issues every CA's CRL; one CA's failure does not stop the others, and is reported at the end. */
    public int issueAllFullCrls() {
        int issued = 0;
        RuntimeException first = null;
        for (CertificateAuthority ca : registry.all()) {
            try {
                publisher.issue(ca, ACTOR);
                issued++;
            } catch (RuntimeException e) {
                LOG.error("Scheduled CRL for CA {} failed: {}", ca.name(), e.getMessage());
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
        return issued;
    }
}
