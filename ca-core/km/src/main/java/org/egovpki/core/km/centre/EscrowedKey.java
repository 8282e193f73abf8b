package org.egovpki.core.km.centre;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * An encryption key pair the KM generated, as it keeps it ({@code egovKeyId=<id>,ou=km}): the
 * public key, and the private key only wrapped under a KM key-encryption key.
 *
 * @param keyId             KM identifier; derived from the CA's task so a repeated apply finds it
 * @param caName            the CA that asked for it and issues its encryption certificate
 * @param serial            serial number of that encryption certificate (GM/T 0014 userCertNo)
 * @param subscriberDn      DN of the subscriber entry the certificate belongs to
 * @param publicKeyInfo     DER SubjectPublicKeyInfo of the key pair
 * @param wrappedPrivateKey the private key wrapped under {@code kekId}; {@code null} once DESTROYED
 * @param wrapAlgorithm     how it is wrapped, e.g. {@code SM4-GCM}
 * @param kekId             which key-encryption key wraps it
 * @param escrowedAt        when it was generated and escrowed
 * @param retainUntil       it must be kept at least until then (certificate notAfter + retention)
 * @param state             see {@link KeyState}
 * @param destroyedAt       when the wrapped key was removed, or {@code null}
 */
public record EscrowedKey(
        String keyId,
        String caName,
        BigInteger serial,
        String subscriberDn,
        byte[] publicKeyInfo,
        byte[] wrappedPrivateKey,
        String wrapAlgorithm,
        String kekId,
        Instant escrowedAt,
        Instant retainUntil,
        KeyState state,
        Instant destroyedAt) {

    public EscrowedKey {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(caName, "caName");
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(publicKeyInfo, "publicKeyInfo");
        Objects.requireNonNull(escrowedAt, "escrowedAt");
        Objects.requireNonNull(retainUntil, "retainUntil");
        Objects.requireNonNull(state, "state");
        if ((state == KeyState.DESTROYED) != (wrappedPrivateKey == null)) {
            throw new IllegalArgumentException("escrowed key " + keyId + " is " + state + " but its wrapped private key is "
                    + (wrappedPrivateKey == null ? "absent" : "present"));
        }
        publicKeyInfo = publicKeyInfo.clone();
        wrappedPrivateKey = wrappedPrivateKey == null ? null : wrappedPrivateKey.clone();
    }

    @Override
    public byte[] publicKeyInfo() {
        return publicKeyInfo.clone();
    }

    @Override
    public byte[] wrappedPrivateKey() {
        return wrappedPrivateKey == null ? null : wrappedPrivateKey.clone();
    }

    /** This key, retired (certificate revoked): still recoverable until its retention ends. */
    public EscrowedKey retired() {
        return new EscrowedKey(keyId, caName, serial, subscriberDn, publicKeyInfo, wrappedPrivateKey, wrapAlgorithm,
                kekId, escrowedAt, retainUntil, KeyState.RETIRED, null);
    }

    /** This key with its wrapped private key removed at {@code at}. */
    public EscrowedKey destroyed(Instant at) {
        return new EscrowedKey(keyId, caName, serial, subscriberDn, publicKeyInfo, null, wrapAlgorithm, kekId,
                escrowedAt, retainUntil, KeyState.DESTROYED, at);
    }

    /** Lower-case hex of the serial, as certificate records and the REST API write it. */
    public String serialHex() {
        return serial.toString(16);
    }
}
