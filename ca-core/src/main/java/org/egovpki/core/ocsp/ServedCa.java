package org.egovpki.core.ocsp;

import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Objects;

import org.egovpki.core.crypto.CaSigner;

/**
 * One CA the OCSP responder answers for, signing its responses with the CA key itself (RFC 6960
 * §4.2.2.2 case 1: no delegated responder certificate is needed).
 *
 * <p>Invariant, checked here: {@code signer} holds the key of {@code caCertificate}, so a
 * response always verifies under the certificate the client names in its CertID.
 *
 * @param name          the CA's name, as given to {@link CertificateStatusSource#status}
 * @param caCertificate the CA certificate whose subject and key the CertIDs hash
 * @param signer        the signer of that CA's key
 */
public record ServedCa(String name, X509Certificate caCertificate, CaSigner signer) {

    public ServedCa {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(caCertificate, "caCertificate");
        Objects.requireNonNull(signer, "signer");
        if (name.isBlank()) {
            throw new IllegalArgumentException("served CA name is blank; use the CA's configured name");
        }
        if (!Arrays.equals(caCertificate.getPublicKey().getEncoded(), signer.publicKey().getEncoded())) {
            throw new IllegalArgumentException("the signer of served CA \"" + name + "\" (" + signer
                    + ") does not hold the key of its certificate " + caCertificate.getSubjectX500Principal()
                    + "; OCSP responses would not verify");
        }
    }
}
