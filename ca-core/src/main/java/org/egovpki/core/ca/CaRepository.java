package org.egovpki.core.ca;

import java.math.BigInteger;

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
     * Publishes a CRL if, and only if, the last published CRL number is still
     * {@code previousNumber} ({@code null}: none published yet). The check and the write are one
     * atomic directory operation, so two writers can never publish the same CRL number.
     *
     * @return {@code false} when another writer published first; the caller re-reads and retries
     */
    boolean publishCrl(String caName, BigInteger previousNumber, CrlRecord crl);
}
