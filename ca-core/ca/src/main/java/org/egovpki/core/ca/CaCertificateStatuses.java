package org.egovpki.core.ca;

import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;
import org.egovpki.core.ocsp.CertificateStatusSource;
import org.egovpki.core.ocsp.RevocationStatus;
import org.egovpki.core.x509.RevokedEntry;

/**
 * The status of the CA certificates a root issued, for its OCSP responder, in front of the
 * certificate records that hold everything else (issue 16).
 *
 * <p>Subordinate CA certificates are not certificate records: they live in the key store and on
 * the CA entries, and a revocation is recorded on the CA entry ({@link CaRevocations}). Without
 * this view the root's responder answered {@code unknown} for its issuing CAs, and a relying
 * party that checks revocation by OCSP only (JDK PKIX with {@code NO_FALLBACK}) refused every
 * chain.
 *
 * <p>Invariants:
 * <ul>
 * <li>Only for a CA of role {@link CaRole#ROOT} (only roots issue CA certificates here). The
 *     certificate of a CA in service whose parent it is: {@code revoked} with the time and reason
 *     of its entry among the root's revoked subordinates ({@link CaPublications#revokedSubordinates},
 *     the very list its ARL and CRL are built from), else {@code good}.</li>
 * <li>Any other serial goes to the certificate records unchanged; one they do not know but the
 *     revoked subordinates list (a CA revoked and since removed from the configuration) is
 *     {@code revoked}; anything else the root never issued stays {@code unknown}, never
 *     {@code good}.</li>
 * <li>The directory is read on every call that names a root's CA certificate: a revocation is
 *     visible on the next request (the responder's cache is dropped by
 *     {@code OcspResponder.invalidateCaCertificate} on the {@code CaRevoked} event).</li>
 * </ul>
 *
 * <p>Thread-safe: the registry is read-only here and the stores are thread-safe.
 */
public final class CaCertificateStatuses implements CertificateStatusSource {

    private final CaRegistry cas;
    private final CaPublications publications;
    private final CertificateStatusSource records;

    /**
     * @param cas          the CAs in service, with their certificates and parents
     * @param publications the CA entries, where a CA certificate's revocation is recorded
     * @param records      the statuses of every other certificate (the certificate records)
     */
    public CaCertificateStatuses(CaRegistry cas, CaPublications publications, CertificateStatusSource records) {
        this.cas = Objects.requireNonNull(cas, "cas");
        this.publications = Objects.requireNonNull(publications, "publications");
        this.records = Objects.requireNonNull(records, "records");
    }

    @Override
    public Optional<RevocationStatus> status(String issuerName, BigInteger serial) {
        boolean root = cas.find(issuerName).map(ca -> ca.role() == CaRole.ROOT).orElse(false);
        if (!root || serial.signum() <= 0) {
            return records.status(issuerName, serial);
        }
        // After an issuing CA's key changeover, its retired key's certificate is still its parent's to answer for.
        boolean subordinate = cas.all().stream().anyMatch(ca -> issuerName.equals(ca.definition().parent())
                && (serial.equals(ca.certificate().getSerialNumber()) || ca.retiredKeys().stream()
                        .anyMatch(retired -> serial.equals(retired.certificate().getSerialNumber()))));
        if (subordinate) {
            return Optional.of(revokedSubordinate(issuerName, serial).orElse(RevocationStatus.good()));
        }
        Optional<RevocationStatus> record = records.status(issuerName, serial);
        // A CA revoked and since removed from the configuration is still listed in the ARL.
        return record.isPresent() ? record : revokedSubordinate(issuerName, serial);
    }

    private Optional<RevocationStatus> revokedSubordinate(String rootName, BigInteger serial) {
        for (RevokedEntry entry : publications.revokedSubordinates(rootName)) {
            if (entry.serial().equals(serial)) {
                return Optional.of(RevocationStatus.revoked(entry.revocationDate(), entry.reasonCode()));
            }
        }
        return Optional.empty();
    }
}
