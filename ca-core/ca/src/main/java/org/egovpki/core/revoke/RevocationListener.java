package org.egovpki.core.revoke;

import org.egovpki.core.certificate.CertificateRecord;

/**
 * Told of every revocation after it is recorded: the OCSP cache drops the certificate's answers,
 * the CRL scheduler issues a CRL within its debounce window, the sync pushes the event. A listener
 * must be quick and must not throw; a failure is logged and does not undo the revocation (the
 * record is the truth, and the scheduled CRL picks it up in any case).
 */
@FunctionalInterface
public interface RevocationListener {

    void revoked(CertificateRecord revoked);
}
