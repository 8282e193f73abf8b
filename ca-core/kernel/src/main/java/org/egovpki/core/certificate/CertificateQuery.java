package org.egovpki.core.certificate;

/**
 * A certificate search: every non-null criterion must match.
 *
 * @param serialHex    serial (hex, any issuer)
 * @param subjectDn    canonical subject DN
 * @param subscriberId subscriber
 * @param status       status
 * @param limit        at most this many results (1..1000)
 * @param businessTypes only certificates of one of these business types; empty for any (an
 *                      application admin's scope, {@link VisibleCertificates})
 */
public record CertificateQuery(String serialHex, String subjectDn, String subscriberId, CertificateStatus status,
                               int limit, java.util.Set<String> businessTypes) {

    public CertificateQuery {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be 1..1000, was " + limit);
        }
        businessTypes = businessTypes == null ? java.util.Set.of() : java.util.Set.copyOf(businessTypes);
    }

    /** A search of any business type. */
    public CertificateQuery(String serialHex, String subjectDn, String subscriberId, CertificateStatus status, int limit) {
        this(serialHex, subjectDn, subscriberId, status, limit, java.util.Set.of());
    }

    /** This search, narrowed to the given business types. */
    public CertificateQuery within(java.util.Set<String> types) {
        return new CertificateQuery(serialHex, subjectDn, subscriberId, status, limit, types);
    }
}
