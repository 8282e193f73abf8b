package org.egovpki.core.ca;

import org.egovpki.core.certificate.CertificateRecord;

/**
 * Revokes, as superseded, the certificate that a rekey, modification or replacement was issued in
 * place of (REQUIREMENTS §5). The {@link Issuer} calls it after the new certificate is published
 * and before the request is completed, so a crash in between is finished by {@link Issuer#recover()}.
 * The revocation service is the implementation; this seam keeps the issuer from depending on it.
 */
@FunctionalInterface
public interface Supersession {

    /**
     * Revokes {@code old} with reason superseded.
     *
     * @param actorDn who caused the new issuance
     * @return the revoked record
     * @throws org.egovpki.core.DomainException CONFLICT if {@code old} is no longer VALID or has expired
     */
    CertificateRecord supersede(CertificateRecord old, String actorDn);
}
