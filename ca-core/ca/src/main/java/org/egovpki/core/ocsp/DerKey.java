package org.egovpki.core.ocsp;

import java.util.Arrays;

/**
 * DER bytes as a map key, compared by content with the hash computed once: a whole request in
 * {@link ResponseCache}, a CertID in {@link PresignedResponses} and {@link LockedOcspResponder}.
 * The bytes are not copied unless asked ({@link #copy()}): whoever makes a key keeps them unchanged.
 */
final class DerKey {

    private final byte[] der;
    private final int hash;

    private DerKey(byte[] der) {
        this.der = der;
        this.hash = Arrays.hashCode(der);
    }

    /** The key of {@code der}, not copied. */
    static DerKey of(byte[] der) {
        return new DerKey(der);
    }

    /** The same key over a copy of the bytes, for keeping beyond the caller's buffer. */
    DerKey copy() {
        return new DerKey(der.clone());
    }

    /** The bytes (shared, never to be modified). */
    byte[] der() {
        return der;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DerKey that && hash == that.hash && Arrays.equals(der, that.der);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
