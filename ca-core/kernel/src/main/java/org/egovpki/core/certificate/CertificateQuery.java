package org.egovpki.core.certificate;

import org.egovpki.core.ValueCharacters;

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
 * @throws org.egovpki.core.DomainException BAD_REQUEST naming {@code subject}, {@code subscriber} or
 *         {@code businessType} for a value with a character {@link ValueCharacters} refuses
 */
public record CertificateQuery(String serialHex, String subjectDn, String subscriberId, CertificateStatus status,
                               int limit, java.util.Set<String> businessTypes) {

    public CertificateQuery {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be 1..1000, was " + limit);
        }
        businessTypes = businessTypes == null ? java.util.Set.of() : java.util.Set.copyOf(businessTypes);
        // Every criterion becomes an LDAP filter value: a character the directory cannot match is a
        // refusal here, naming the parameter, rather than a directory error (a 500) later.
        if (subjectDn != null) {
            ValueCharacters.require("subject", "the subject", subjectDn);
        }
        if (subscriberId != null) {
            ValueCharacters.require("subscriber", "the subscriber id", subscriberId);
        }
        for (String type : businessTypes) {
            ValueCharacters.require("businessType", "the business type", type);
        }
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
