package org.egovpki.core.x509;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/** Fingerprints of DER objects (certificates, CRLs), as lower-case hex. Stateless. */
public final class Fingerprints {

    private Fingerprints() {
    }

    /** SHA-256 of {@code der}, 64 lower-case hex digits. */
    public static String sha256Hex(byte[] der) {
        Objects.requireNonNull(der, "der");
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
