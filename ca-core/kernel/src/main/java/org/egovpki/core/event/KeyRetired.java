package org.egovpki.core.event;

import java.math.BigInteger;
import java.util.Objects;

/**
 * The KM retired the escrowed key of a revoked encryption certificate: it stays recoverable until
 * its retention ends, and is never destroyed before.
 *
 * @param ca the CA that issued the encryption certificate
 * @param serial the certificate's serial
 */
public record KeyRetired(String ca, BigInteger serial) implements LifecycleEvent {

    public KeyRetired {
        Objects.requireNonNull(ca, "ca");
        Objects.requireNonNull(serial, "serial");
    }
}
