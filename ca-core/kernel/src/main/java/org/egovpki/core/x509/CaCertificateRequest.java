package org.egovpki.core.x509;

import java.time.Period;
import java.util.Objects;
import java.util.Set;

/**
 * What a CA certificate should say: subject, validity and the URLs of its extensions.
 *
 * <p>Invariants: the subject is a non-blank DN string (checked in full by
 * {@link DistinguishedNames#parse}); the validity is positive; a path length, if given, is not
 * negative; each URL is absolute ASCII with an allowed scheme. Limits that depend on the kind
 * of CA (root ≤ 30 years, subordinate ≤ 20 years, root carries no CRL DP or AIA) are checked by
 * {@link CaCertificateFactory}, which knows which kind it issues.
 *
 * @param subjectDn               RFC 4514 DN, most specific first, e.g. {@code "CN=egov-pki SM2 Root CA,O=egov-pki,C=CN"}
 * @param validity                notAfter = notBefore + validity (calendar arithmetic in UTC)
 * @param pathLenConstraint       basicConstraints pathLenConstraint, or null for none (a root);
 *                                0 for an issuing CA that signs only end-entity certificates
 * @param caRepositoryUrl         subjectInfoAccess caRepository (ldap or http); required for a
 *                                self-signed root (GM/T 0015), optional otherwise
 * @param crlDistributionPointUrl HTTP URL of the issuer's CRL (subordinate only), or null
 * @param crlLdapUrl              LDAP URL of the issuer's CRL (subordinate only), or null
 * @param caIssuersUrl            authorityInfoAccess caIssuers URL of the issuer's certificate
 *                                (subordinate only), or null
 * @param ocspUrl                 authorityInfoAccess OCSP URL of the issuer's responder (subordinate
 *                                only, plain {@code http://} like the CRL URL), or null. Relying
 *                                parties that check revocation by OCSP only (JDK PKIX with
 *                                {@code NO_FALLBACK}) need it to check the CA certificate itself.
 */
public record CaCertificateRequest(
        String subjectDn,
        Period validity,
        Integer pathLenConstraint,
        String caRepositoryUrl,
        String crlDistributionPointUrl,
        String crlLdapUrl,
        String caIssuersUrl,
        String ocspUrl) {

    private static final Set<String> HTTP = Set.of("http");
    private static final Set<String> LDAP = Set.of("ldap", "ldaps");
    private static final Set<String> HTTP_OR_LDAP = Set.of("http", "https", "ldap", "ldaps");

    public CaCertificateRequest {
        if (subjectDn == null || subjectDn.isBlank()) {
            throw new IllegalArgumentException("CA certificate request has no subject DN");
        }
        Objects.requireNonNull(validity, "validity");
        if (validity.isZero() || validity.isNegative()) {
            throw new IllegalArgumentException("CA certificate validity " + validity + " for \"" + subjectDn
                    + "\" must be positive, e.g. P20Y");
        }
        if (pathLenConstraint != null && pathLenConstraint < 0) {
            throw new IllegalArgumentException("pathLenConstraint " + pathLenConstraint + " for \"" + subjectDn
                    + "\" is negative; use null for no limit or 0 for an issuing CA");
        }
        Urls.requireUrl("caRepositoryUrl", caRepositoryUrl, HTTP_OR_LDAP);
        // CRLs are fetched over plain HTTP: HTTPS would need a revocation check of its own.
        Urls.requireUrl("crlDistributionPointUrl", crlDistributionPointUrl, HTTP);
        Urls.requireUrl("crlLdapUrl", crlLdapUrl, LDAP);
        Urls.requireUrl("caIssuersUrl", caIssuersUrl, HTTP_OR_LDAP);
        // Like CRLs, OCSP goes over plain HTTP (RFC 5280 §8; IssuerContext holds end-entity certificates to the same).
        Urls.requireUrl("ocspUrl", ocspUrl, HTTP);
    }

    /** A request without an OCSP pointer (the form before CA certificates carried one). */
    public CaCertificateRequest(String subjectDn, Period validity, Integer pathLenConstraint, String caRepositoryUrl,
                                String crlDistributionPointUrl, String crlLdapUrl, String caIssuersUrl) {
        this(subjectDn, validity, pathLenConstraint, caRepositoryUrl, crlDistributionPointUrl, crlLdapUrl, caIssuersUrl,
                null);
    }

    /** A self-signed root: no path length limit, SIA caRepository, no CRL DP or AIA. */
    public static CaCertificateRequest root(String subjectDn, Period validity, String caRepositoryUrl) {
        return new CaCertificateRequest(subjectDn, validity, null, caRepositoryUrl, null, null, null, null);
    }

    /**
     * An issuing CA (pathLenConstraint 0) whose own revocation is published in its issuer's CRL
     * at the given URLs, without an OCSP pointer; any URL may be null.
     */
    public static CaCertificateRequest issuingCa(String subjectDn, Period validity, String crlDistributionPointUrl,
            String crlLdapUrl, String caIssuersUrl) {
        return issuingCa(subjectDn, validity, crlDistributionPointUrl, crlLdapUrl, caIssuersUrl, null);
    }

    /**
     * An issuing CA (pathLenConstraint 0) whose own revocation is published in its issuer's CRL
     * and answered by its issuer's OCSP responder at the given URLs; any URL may be null.
     */
    public static CaCertificateRequest issuingCa(String subjectDn, Period validity, String crlDistributionPointUrl,
            String crlLdapUrl, String caIssuersUrl, String ocspUrl) {
        return new CaCertificateRequest(subjectDn, validity, 0, null, crlDistributionPointUrl, crlLdapUrl,
                caIssuersUrl, ocspUrl);
    }
}
