package org.egovpki.core.crypto;

import java.security.Provider;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Holds the one Bouncy Castle provider instance that all egov-pki cryptography names explicitly.
 *
 * <p>Invariant: there is exactly one instance per class loader and it is never registered with
 * {@code java.security.Security}. Passing it explicitly ({@code getInstance(..., PROVIDER)},
 * {@code setProvider(PROVIDER)}) means SM2/SM3 never silently fall back to a JDK provider that
 * cannot do them, and no code depends on start-up order. The provider is never mutated after
 * construction, so sharing it is safe.
 */
public final class BouncyCastle {

    /** The shared provider. Use it in every {@code getInstance} and {@code setProvider} call. */
    public static final Provider PROVIDER = new BouncyCastleProvider();

    private BouncyCastle() {
    }
}
