package org.egovpki.core.x509;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The issuing CA as end-entity certificates see it: its certificate (issuer name, AKI, validity
 * limit) and the URLs every certificate it issues points to.
 *
 * <p>Invariants: the certificate is a CA certificate (basicConstraints cA=TRUE) that may sign
 * certificates (keyCertSign, when it has keyUsage); all four URLs are present, absolute ASCII,
 * with the CRL HTTP URL {@code http://}, the CRL directory URL {@code ldap://} or
 * {@code ldaps://}, the OCSP URL {@code http://} (CRLs and OCSP go over plain HTTP: fetching them
 * over HTTPS would need a revocation check of its own, RFC 5280 §8) and caIssuers http(s) or
 * ldap(s), as for {@link CaCertificateRequest}.
 *
 * @param issuerCertificate the issuing CA's certificate
 * @param crlHttpUrl        HTTP URL of the CA's CRL (first fullName of the CRL distribution point)
 * @param crlLdapUrl        LDAP URL of the same CRL (second fullName)
 * @param ocspUrl           AIA id-ad-ocsp
 * @param caIssuersUrl      AIA id-ad-caIssuers, where the issuer certificate can be fetched
 * @param freshestCrlUrls   HTTP and LDAP URLs of the CA's delta CRL (the FreshestCRL extension), or
 *                          empty when the CA publishes no delta CRLs
 */
public record IssuerContext(
        X509Certificate issuerCertificate,
        String crlHttpUrl,
        String crlLdapUrl,
        String ocspUrl,
        String caIssuersUrl,
        List<String> freshestCrlUrls) {

    /** An issuer without delta CRLs. */
    public IssuerContext(X509Certificate issuerCertificate, String crlHttpUrl, String crlLdapUrl, String ocspUrl,
                         String caIssuersUrl) {
        this(issuerCertificate, crlHttpUrl, crlLdapUrl, ocspUrl, caIssuersUrl, List.of());
    }

    private static final Set<String> HTTP = Set.of("http");
    private static final Set<String> LDAP = Set.of("ldap", "ldaps");
    private static final Set<String> HTTP_OR_LDAP = Set.of("http", "https", "ldap", "ldaps");

    public IssuerContext {
        Objects.requireNonNull(issuerCertificate, "issuerCertificate");
        String issuer = issuerCertificate.getSubjectX500Principal().toString();
        if (issuerCertificate.getBasicConstraints() < 0) {
            throw new IllegalArgumentException("issuer " + issuer
                    + " is not a CA certificate (no basicConstraints cA=TRUE) and cannot issue certificates");
        }
        boolean[] keyUsage = issuerCertificate.getKeyUsage();
        if (keyUsage != null && !keyUsage[5]) {
            throw new IllegalArgumentException("issuer " + issuer + " has no keyCertSign key usage and cannot sign certificates");
        }
        Urls.requireUrl("crlHttpUrl", required("crlHttpUrl", crlHttpUrl, issuer), HTTP);
        Urls.requireUrl("crlLdapUrl", required("crlLdapUrl", crlLdapUrl, issuer), LDAP);
        Urls.requireUrl("ocspUrl", required("ocspUrl", ocspUrl, issuer), HTTP);
        Urls.requireUrl("caIssuersUrl", required("caIssuersUrl", caIssuersUrl, issuer), HTTP_OR_LDAP);
        freshestCrlUrls = freshestCrlUrls == null ? List.of() : List.copyOf(freshestCrlUrls);
        for (String url : freshestCrlUrls) {
            Urls.requireUrl("freshestCrlUrls", url, HTTP_OR_LDAP);
        }
    }

    private static String required(String field, String url, String issuer) {
        if (url == null) {
            throw new IllegalArgumentException(field + " of issuer " + issuer
                    + " is missing; every end-entity certificate carries it (REQUIREMENTS §3)");
        }
        return url;
    }
}
