package org.egovpki.core.certificate;

/**
 * A certificate search: every non-null criterion must match.
 *
 * @param serialHex    serial (hex, any issuer)
 * @param subjectDn    canonical subject DN
 * @param subscriberId subscriber
 * @param status       status
 * @param limit        at most this many results (1..1000)
 */
public record CertificateQuery(String serialHex, String subjectDn, String subscriberId, CertificateStatus status,
                               int limit) {

    public CertificateQuery {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be 1..1000, was " + limit);
        }
    }
}
