package org.egovpki.core.ca;

import java.util.List;
import java.util.Optional;
import org.egovpki.core.certificate.Revocation;
import org.egovpki.core.x509.RevokedEntry;

/**
 * The read-only view of what the directory publishes about the CAs, for the HTTP download, health
 * checks and (later) OCSP: they can read CA entries and CRLs, never write them.
 */
public interface CaPublications {

    /** The published CA entry, if any. */
    Optional<CaRecord> find(String caName);

    /** All published CA entries, in name order. */
    List<CaRecord> findAll();

    /** The numbers and dates of the CA's published full CRL, delta and ARL, without their bytes. */
    Optional<CrlHead> crlHead(String caName);

    /** The same for partition {@code shard} of the CA (no ARL). */
    Optional<CrlHead> partitionCrlHead(String caName, int shard);

    /** The full CRL currently published for the CA, if any. */
    Optional<CrlRecord> currentCrl(String caName);

    /** The delta CRL published with the current full CRL, if any. */
    Optional<CrlRecord> currentDeltaCrl(String caName);

    /** The authority revocation list a root CA publishes (revoked CA certificates only), if any. */
    Optional<CrlRecord> currentArl(String caName);

    /** The revocation of the CA's own certificate, if it was revoked. */
    Optional<Revocation> caRevocation(String caName);

    /** The revoked certificates of the CAs whose parent is {@code caName}, for its CRL and ARL. */
    List<RevokedEntry> revokedSubordinates(String caName);

    /**
     * The CRL of the CA's key {@code keyIdHex}, one a key changeover made (current or retired since),
     * at the URLs its certificates name ({@link PublicationUrls#keyCrlUrl}), if any. (The name is
     * older than the rule: the CA's first key's CRL is the main one, never here.)
     */
    Optional<CrlRecord> retiredKeyCrl(String caName, String keyIdHex);

    /**
     * Every CA certificate the CA entry publishes ({@code cACertificate}, DER, in no particular
     * order): the current one and, after a key changeover, the old ones still in service; empty
     * for an unknown CA.
     */
    List<byte[]> caCertificates(String caName);

    /** The DER {@code CertificatePair}s (RFC 4523) a root's key changeovers published; empty if none. */
    List<byte[]> crossCertificatePairs(String caName);

    /** The CRL of partition {@code shard} of the CA, if published. */
    Optional<CrlRecord> currentPartitionCrl(String caName, int shard);

    /** The delta CRL of partition {@code shard} of the CA, if published. */
    Optional<CrlRecord> currentPartitionDeltaCrl(String caName, int shard);
}
