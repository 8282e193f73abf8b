package org.egovpki.routes;

import java.util.Objects;
import java.util.Optional;
import org.egovpki.core.ca.CaPublications;
import org.egovpki.core.ca.CrlHead;
import org.egovpki.core.certificate.CertificateRecords;
import org.egovpki.core.certificate.RevokedSelection;
import org.egovpki.core.ca.CaRegistry;
import org.egovpki.core.ca.CertificateAuthority;
import org.egovpki.core.ca.CrlPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The bean the CRL routes call: issues a full CRL for every CA this server operates. */
public final class CrlJobs {

    private static final Logger LOG = LoggerFactory.getLogger(CrlJobs.class);
    static final String ACTOR = "crl-scheduler";
    static final String AFTER_REVOCATION_ACTOR = "crl-after-revocation";

    private final CaRegistry registry;
    private final CrlPublisher publisher;
    private final CertificateRecords certificates;
    private final CaPublications publications;

    public CrlJobs(CaRegistry registry, CrlPublisher publisher, CertificateRecords certificates,
                   CaPublications publications) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.certificates = Objects.requireNonNull(certificates, "certificates");
        this.publications = Objects.requireNonNull(publications, "publications");
    }

    /** Issues a CRL for the CA after revocations (see {@link CrlAfterRevocationRoute}). */
    public void issueAfterRevocation(String caName) {
        CertificateAuthority ca = registry.find(caName).orElseThrow(() -> new IllegalArgumentException(
                "a revocation named CA '" + caName + "', which this server does not operate"));
        publisher.issue(ca, AFTER_REVOCATION_ACTOR);
    }

    /**
     * At start-up: issues the CRL of every CA that has a revocation newer than its published CRL
     * (the process died before the CRL after that revocation went out).
     *
     * @return how many CAs got a CRL
     */
    public int catchUp() {
        int issued = 0;
        for (CertificateAuthority ca : registry.all()) {
            if (hasUnpublishedRevocations(ca)) {
                LOG.warn("CA {} has revocations newer than its published CRL; issuing a CRL now", ca.name());
                publisher.issue(ca, AFTER_REVOCATION_ACTOR);
                issued++;
            }
        }
        return issued;
    }

    private boolean hasUnpublishedRevocations(CertificateAuthority ca) {
        Optional<CrlHead> current = publications.crlHead(ca.name());
        if (current.isEmpty()) {
            return true;
        }
        boolean[] found = {false};
        // Revocations in the CRL's own second may or may not be on it (thisUpdate is whole seconds): include them.
        certificates.forEachRevoked(new RevokedSelection(ca.name(), current.get().thisUpdate(),
                current.get().thisUpdate(), null), entry -> found[0] = true);
        return found[0];
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
