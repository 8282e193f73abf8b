package org.egovpki.core.ca;

/**
 * Where relying parties find a CA's certificate and CRL. The URLs are written into certificates
 * (SIA, AIA, CRL distribution points), so they come from configuration, never from a request.
 */
public interface PublicationUrls {

    /** HTTP URL of the CA certificate (DER). */
    String caCertificateUrl(String caName);

    /** HTTP URL of the CA's full CRL (DER). */
    String crlUrl(String caName);

    /** LDAP URL of the CA's CRL attribute in the directory. */
    String crlLdapUrl(String caName);

    /** HTTP URL of the CA's delta CRL (DER): the FreshestCRL location; {@code null} when there are no delta CRLs. */
    String deltaCrlUrl(String caName);

    /** LDAP URL of the CA's delta CRL attribute ({@code deltaRevocationList;binary}); {@code null} without deltas. */
    String deltaCrlLdapUrl(String caName);

    /** HTTP URL of the OCSP responder for certificates the CA issues (AIA). */
    String ocspUrl(String caName);

    /** LDAP URL of the CA's directory entry (a self-signed CA's subjectInfoAccess caRepository). */
    String caRepositoryUrl(String caName);
}
