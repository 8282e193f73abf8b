package org.egovpki.core.ca;

import java.math.BigInteger;
import java.util.List;
import org.egovpki.core.certificate.Revocation;

/**
 * Where CA entries and their CRLs are published: the directory. Implemented over LDAP in the
 * {@code directory} module; ca-core only sees this contract.
 *
 * Only the CA's own services get this writer; readers get {@link CaPublications}.
 *
 * <p>Failures of the store surface as {@link org.egovpki.core.DomainException} of kind
 * {@code UNAVAILABLE} (store down) or {@code INTERNAL}.
 */
public interface CaRepository extends CaPublications {

    /** Creates the CA entry or replaces its certificate and facts. Idempotent. */
    void save(CaRecord ca);

    /**
     * Publishes a full CRL, and with it a delta CRL, if, and only if, the last published full CRL
     * number is still {@code previousNumber} ({@code null}: none published yet). The check and the
     * writes are one atomic directory operation, so two writers can never publish the same CRL
     * number.
     *
     * @param delta the delta CRL issued with it, or {@code null} (then any older delta is removed,
     *              because its base is no longer the current CRL's predecessor)
     * @return {@code false} when another writer published first; the caller re-reads and retries
     */
    boolean publishCrl(String caName, BigInteger previousNumber, CrlRecord full, CrlRecord delta);

    /**
     * Publishes the CRL (and delta) of partition {@code shard}, creating its entry if needed,
     * unless the partition already holds a CRL with a number not below {@code full}'s (a later
     * batch got there first): a partition's CRL numbers never go back.
     *
     * @return {@code false} if skipped because a newer CRL is published
     */
    boolean publishPartitionCrl(String caName, int shard, CrlRecord full, CrlRecord delta);

    /**
     * Publishes a root CA's ARL, numbered on from its full CRL {@code crlNumber}, unless one with a
     * number not below {@code arl}'s is already there or that CRL is no longer the CA's current one
     * (another CA process published a newer CRL, and so a newer ARL, meanwhile).
     *
     * @return {@code false} if skipped for either reason
     */
    boolean publishArl(String caName, BigInteger crlNumber, CrlRecord arl);

    /**
     * Publishes the CRL of a CA key a key changeover made (current or retired since, named by its key
     * identifier in hex), at the place its certificates name ({@link PublicationUrls#keyCrlLdapUrl}),
     * creating it if needed, unless one with a number not below {@code crl}'s is already there.
     *
     * @return {@code false} if skipped because a newer CRL is published
     */
    boolean publishRetiredKeyCrl(String caName, String keyIdHex, CrlRecord crl);

    /**
     * Publishes what a CA key changeover made, beside what is there (RFC 4523): every CA
     * certificate still in service ({@code cACertificate}), and the link certificates of a root as
     * {@code crossCertificatePair} values. Replaces the values of both with those given; idempotent.
     */
    void publishKeyHistory(String caName, List<byte[]> caCertificates, List<byte[]> crossCertificatePairs);

    /**
     * Records that the CA's own certificate is revoked, if, and only if, it was not already: one
     * atomic directory operation.
     *
     * @return {@code false} if it was already revoked
     */
    boolean revokeCa(String caName, Revocation revocation);
}
