package org.egovpki.core.enroll.validation;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.egovpki.core.crypto.KeyAlgorithm;

/**
 * A PKCS#10 certification request that {@link CertificationRequests#parse(byte[])} accepted: well
 * formed, exactly DER, its key allowed by the {@link KeyPolicy}, and its signature verified under
 * its own public key (proof of possession).
 *
 * <p>The subject is as the subscriber wrote it, <em>not yet</em> checked: pass it to
 * {@link SubjectDnPolicy#check}. The requested SANs are informational only; the CA never copies
 * SANs from a request, it builds them from validated registration data.
 *
 * @param der                    the request's DER bytes (copied in and out)
 * @param subject                the requested subject, unchecked
 * @param publicKey              the subscriber's public key, checked by the key policy
 * @param algorithm              the key's algorithm
 * @param signatureAlgorithmOid  the OID the request was signed with, such as 1.2.156.10197.1.501
 * @param requestedSans          subjectAltName entries from the extensionRequest attribute, if any
 */
public record ParsedCsr(
        byte[] der,
        X500Name subject,
        SubjectPublicKeyInfo publicKey,
        KeyAlgorithm algorithm,
        String signatureAlgorithmOid,
        List<GeneralName> requestedSans) {

    public ParsedCsr {
        der = Objects.requireNonNull(der, "der").clone();
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(signatureAlgorithmOid, "signatureAlgorithmOid");
        requestedSans = requestedSans == null ? List.of() : List.copyOf(requestedSans);
    }

    /** A copy of the request's DER bytes. */
    @Override
    public byte[] der() {
        return der.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ParsedCsr that && Arrays.equals(der, that.der);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(der);
    }

    /** Names the request without dumping its bytes. */
    @Override
    public String toString() {
        return "ParsedCsr[" + algorithm + ", signature " + signatureAlgorithmOid + ", " + der.length + " bytes, "
                + requestedSans.size() + " requested SANs]";
    }
}
