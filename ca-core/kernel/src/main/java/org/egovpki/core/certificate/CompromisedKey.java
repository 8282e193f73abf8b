package org.egovpki.core.certificate;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.egovpki.core.x509.Fingerprints;

/**
 * A public key this CA knows to be compromised: a certificate over it was revoked for key
 * compromise (RFC 5280 keyCompromise: CPS causes {@link RevocationReason#KEY_COMPROMISE E} and
 * {@link RevocationReason#EMPLOYEE_KEY_COMPROMISE F}) or, for a CA certificate, for CA compromise.
 * No certificate over it is issued again, whoever applies (RFC 5280 §5.3.1, CPS 001 §6.2.7).
 *
 * @param keyId     {@link #keyId(SubjectPublicKeyInfo)} of the key
 * @param issuer    the name of the CA that issued the revoked certificate
 * @param serialHex the revoked certificate's serial, lower-case hex
 * @param revokedAt when the certificate was revoked
 * @param cause     why (a cause whose {@link RevocationReason#compromisesKey()} holds)
 */
public record CompromisedKey(String keyId, String issuer, String serialHex, Instant revokedAt,
                             RevocationReason cause) {

    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{64}");

    public CompromisedKey {
        Objects.requireNonNull(keyId, "keyId");
        if (!KEY_ID.matcher(keyId).matches()) {
            throw new IllegalArgumentException("a key id is 64 lower-case hex digits (SHA-256), not '" + keyId + "'");
        }
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(serialHex, "serialHex");
        Objects.requireNonNull(revokedAt, "revokedAt");
        Objects.requireNonNull(cause, "cause");
    }

    /**
     * The identity of a public key: the SHA-256 of its subjectPublicKey BIT STRING's bytes (RFC 5280
     * §4.2.1.2 method 1, with SHA-256), lower-case hex. Not of the whole SubjectPublicKeyInfo: an RSA
     * key's algorithm parameters may be NULL or absent, two encodings of one key. The key bytes have
     * one encoding for every EC and SM2 key the {@code KeyPolicy} accepts (an uncompressed point); an
     * RSAPublicKey is hashed as DER, re-encoded, since a parser that takes BER (a long-form length)
     * would otherwise let one RSA key have two ids.
     */
    public static String keyId(SubjectPublicKeyInfo key) {
        byte[] bytes = key.getPublicKeyData().getBytes();
        if (PKCSObjectIdentifiers.rsaEncryption.equals(key.getAlgorithm().getAlgorithm())) {
            try {
                bytes = RSAPublicKey.getInstance(ASN1Primitive.fromByteArray(bytes)).getEncoded(ASN1Encoding.DER);
            } catch (java.io.IOException | IllegalArgumentException e) {
                // Not an RSAPublicKey at all: its bytes as they are (KeyPolicy refuses such a key anyway).
            }
        }
        return Fingerprints.sha256Hex(bytes);
    }

    /** The id of the key {@code certificateDer} certifies. */
    public static String keyIdOf(byte[] certificateDer) {
        return keyId(org.bouncycastle.asn1.x509.Certificate.getInstance(certificateDer).getSubjectPublicKeyInfo());
    }

    /** Why a request over this key is refused, and what to do instead. */
    public String refusal() {
        return "the public key was revoked for " + (cause == RevocationReason.CA_COMPROMISE ? "CA compromise"
                : "key compromise") + " in certificate " + serialHex + " of CA " + issuer + " on " + revokedAt
                + "; the CA never certifies it again: generate a new key pair and make the request with it";
    }
}
