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

    /**
     * How many CRL partitions each CA's certificates are spread over (1: none). A certificate's
     * partition is its serial modulo this number, fixed at issuance; its CRL distribution point
     * and FreshestCRL then name the partition's CRLs. Never lower it while certificates of the
     * higher count are valid: their partitions would no longer be published.
     */
    default int crlPartitions() {
        return 1;
    }

    /** HTTP URL of a root CA's authority revocation list (ARL). */
    String arlUrl(String caName);

    /** LDAP URL of a root CA's ARL ({@code authorityRevocationList;binary} of its entry). */
    String arlLdapUrl(String caName);

    /** Whether delta CRLs are published (then the delta URL methods return non-null URLs). */
    boolean deltaCrls();

    /** HTTP URL of partition {@code shard}'s CRL. */
    String crlUrl(String caName, int shard);

    /** LDAP URL of partition {@code shard}'s CRL ({@code certificateRevocationList;binary} of its cRLDistributionPoint entry). */
    String crlLdapUrl(String caName, int shard);

    /** HTTP URL of partition {@code shard}'s delta CRL, or {@code null} without delta CRLs. */
    String deltaCrlUrl(String caName, int shard);

    /** LDAP URL of partition {@code shard}'s delta CRL, or {@code null} without delta CRLs. */
    String deltaCrlLdapUrl(String caName, int shard);

    /**
     * HTTP URL of the full CRL of one key of the CA after its first ({@code /crl/<ca>-key-<keyId>.crl}):
     * certificates issued under a key made by a key changeover name this URL, and only that key signs
     * the CRL there (docs/operations.md, "CA key changeover").
     *
     * @param keyIdHex the key's identifier (SHA-1 of its key bits, RFC 5280 §4.2.1.2) in lower-case hex
     */
    String keyCrlUrl(String caName, String keyIdHex);

    /** LDAP URL of that key's CRL ({@code certificateRevocationList;binary} of {@code cn=key-<keyId>} below the CA entry). */
    String keyCrlLdapUrl(String caName, String keyIdHex);

    /** HTTP URL of the OCSP responder for certificates the CA issues (AIA). */
    String ocspUrl(String caName);

    /** LDAP URL of the CA's directory entry (a self-signed CA's subjectInfoAccess caRepository). */
    String caRepositoryUrl(String caName);
}
