package org.egovpki.core.sync;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * A published CRL as a {@code crl.published} event carries it.
 *
 * @param number     its cRLNumber (one sequence per CA covers full, delta and partition CRLs)
 * @param kind       full or delta
 * @param partition  the shard of a partition CRL, {@code null} for the CA's whole CRL
 * @param baseNumber a delta's base CRL number, {@code null} for a full CRL
 * @param thisUpdate its thisUpdate
 * @param nextUpdate its nextUpdate
 * @param der        the CRL, DER (copied in and out)
 */
public record SyncCrl(BigInteger number, Kind kind, Integer partition, BigInteger baseNumber, Instant thisUpdate,
                      Instant nextUpdate, byte[] der) {

    /** Whether the CRL is complete or a delta on a base CRL. */
    public enum Kind { FULL, DELTA }

    public SyncCrl {
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(thisUpdate, "thisUpdate");
        Objects.requireNonNull(nextUpdate, "nextUpdate");
        if ((kind == Kind.DELTA) != (baseNumber != null)) {
            throw new IllegalArgumentException("CRL " + number + ": a base number goes with a DELTA CRL, and only with it");
        }
        if (partition != null && partition < 0) {
            throw new IllegalArgumentException("CRL " + number + ": partition " + partition + " is negative");
        }
        der = Objects.requireNonNull(der, "der").clone();
    }

    @Override
    public byte[] der() {
        return der.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SyncCrl c && number.equals(c.number) && java.util.Arrays.equals(der, c.der);
    }

    @Override
    public int hashCode() {
        return number.hashCode();
    }

    @Override
    public String toString() {
        return "SyncCrl[#" + number + ", " + kind + (partition == null ? "" : ", shard " + partition) + "]";
    }
}
