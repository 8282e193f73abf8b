package org.egovpki.core.event;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * A CA published a full CRL (with its deltas, partitions and ARL, when configured).
 *
 * @param ca the CA that signed it
 * @param crlNumber its cRLNumber
 * @param thisUpdate its thisUpdate
 */
public record CrlPublished(String ca, BigInteger crlNumber, Instant thisUpdate) implements LifecycleEvent {

    public CrlPublished {
        Objects.requireNonNull(ca, "ca");
        Objects.requireNonNull(crlNumber, "crlNumber");
        Objects.requireNonNull(thisUpdate, "thisUpdate");
    }
}
