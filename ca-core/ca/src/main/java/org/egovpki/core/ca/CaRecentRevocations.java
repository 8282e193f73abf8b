package org.egovpki.core.ca;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.egovpki.core.ocsp.RecentRevocations;
import org.egovpki.core.x509.RevokedEntry;

/**
 * The revocations another CA process recorded, for this process's OCSP to follow: the certificate
 * records' (through {@code records}), and in front of them the CA certificates a root issued and
 * another process revoked — recorded on the CA entries, not in certificate records, as
 * {@link CaCertificateStatuses} reads them.
 *
 * <p>Invariant: a revoked subordinate CA certificate is returned under its root's name, with the
 * revocation date of its entry among the root's revoked subordinates (the list its ARL is built
 * from), when that date is at or after {@code since}.
 *
 * <p>Thread-safe: the registry is read-only here and the stores are thread-safe.
 */
public final class CaRecentRevocations implements RecentRevocations {

    private final CaRegistry cas;
    private final CaPublications publications;
    private final RecentRevocations records;

    /**
     * @param cas          the CAs in service (their roots are asked for revoked subordinates)
     * @param publications the CA entries, where a CA certificate's revocation is recorded
     * @param records      the revocations recorded in the certificate records
     */
    public CaRecentRevocations(CaRegistry cas, CaPublications publications, RecentRevocations records) {
        this.cas = Objects.requireNonNull(cas, "cas");
        this.publications = Objects.requireNonNull(publications, "publications");
        this.records = Objects.requireNonNull(records, "records");
    }

    @Override
    public List<Revoked> since(Instant since) {
        List<Revoked> revoked = new ArrayList<>(records.since(since));
        for (CertificateAuthority ca : cas.all()) {
            if (ca.role() != CaRole.ROOT) {
                continue;
            }
            for (RevokedEntry entry : publications.revokedSubordinates(ca.name())) {
                if (!entry.revocationDate().isBefore(since)) {
                    revoked.add(new Revoked(ca.name(), entry.serial(), entry.revocationDate()));
                }
            }
        }
        return revoked;
    }
}
