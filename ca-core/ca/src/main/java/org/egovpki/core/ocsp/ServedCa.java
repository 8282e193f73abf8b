package org.egovpki.core.ocsp;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.CaSigner;

/**
 * One CA the OCSP responder answers for, and who signs its responses: the CA key itself (RFC
 * 6960 §4.2.2.2 case 1, {@code responderCertificate == null}) or a delegated responder whose
 * certificate the CA issued with id-kp-OCSPSigning (case 3).
 *
 * <p>Invariants, checked here, so that a response always verifies for a client that trusts the
 * CA:
 * <ul>
 * <li>CA-signed: {@code signer} holds the key of {@code caCertificate}.</li>
 * <li>Delegated: {@code signer} holds the key of {@code responderCertificate}, which is signed by
 *     the key of {@code caCertificate}, names it as issuer, and carries the extended key usage
 *     id-kp-OCSPSigning. (Its validity is time-dependent and is the issuer's business: see
 *     {@code org.egovpki.core.ca.OcspSigners}.)</li>
 * </ul>
 *
 * @param name                 the CA's name, as given to {@link CertificateStatusSource#status}
 * @param caCertificate        the CA certificate whose subject and key the CertIDs hash
 * @param signer               the signer of the responses: the CA's own, or the delegated responder's
 * @param responderCertificate the delegated responder certificate, sent in every response; {@code null}
 *                             when the CA signs itself
 */
public record ServedCa(String name, X509Certificate caCertificate, CaSigner signer,
                       X509Certificate responderCertificate) {

    public ServedCa {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(caCertificate, "caCertificate");
        Objects.requireNonNull(signer, "signer");
        if (name.isBlank()) {
            throw new IllegalArgumentException("served CA name is blank; use the CA's configured name");
        }
        if (responderCertificate == null) {
            if (!sameKey(caCertificate, signer)) {
                throw new IllegalArgumentException("the signer of served CA \"" + name + "\" (" + signer
                        + ") does not hold the key of its certificate " + caCertificate.getSubjectX500Principal()
                        + "; OCSP responses would not verify");
            }
        } else {
            requireDelegatedBy(name, caCertificate, responderCertificate);
            if (!sameKey(responderCertificate, signer)) {
                throw new IllegalArgumentException("the signer of served CA \"" + name + "\" (" + signer
                        + ") does not hold the key of its delegated responder certificate "
                        + responderCertificate.getSubjectX500Principal() + "; OCSP responses would not verify");
            }
        }
    }

    /** The CA signs its own responses with {@code signer}, the CA key's signer. */
    public ServedCa(String name, X509Certificate caCertificate, CaSigner signer) {
        this(name, caCertificate, signer, null);
    }

    /** Whether a delegated responder, not the CA key, signs. */
    public boolean delegated() {
        return responderCertificate != null;
    }

    private static boolean sameKey(X509Certificate certificate, CaSigner signer) {
        return Arrays.equals(certificate.getPublicKey().getEncoded(), signer.publicKey().getEncoded());
    }

    private static void requireDelegatedBy(String name, X509Certificate ca, X509Certificate responder) {
        if (!responder.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
            throw new IllegalArgumentException("the delegated responder certificate of served CA \"" + name
                    + "\" is issued by " + responder.getIssuerX500Principal() + ", not by the CA "
                    + ca.getSubjectX500Principal() + " (RFC 6960 §4.2.2.2: the CA itself must issue it)");
        }
        try {
            responder.verify(ca.getPublicKey(), BouncyCastle.PROVIDER);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the delegated responder certificate of served CA \"" + name
                    + "\" is not signed by the CA's key: " + e.getMessage(), e);
        }
        List<String> purposes;
        try {
            purposes = responder.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new IllegalArgumentException("the delegated responder certificate of served CA \"" + name
                    + "\" has an unreadable extended key usage: " + e.getMessage(), e);
        }
        if (purposes == null || !purposes.contains(KeyPurposeId.id_kp_OCSPSigning.getId())) {
            throw new IllegalArgumentException("the delegated responder certificate of served CA \"" + name
                    + "\" lacks the extended key usage id-kp-OCSPSigning; clients would reject its responses");
        }
    }
}
