package org.egovpki.core.ca;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * A signed CRL as published for one CA.
 *
 * @param crlNumber  the CRLNumber extension's value
 * @param thisUpdate the CRL's thisUpdate
 * @param nextUpdate the CRL's nextUpdate
 * @param der        the CRL, DER (defensively copied)
 */
public record CrlRecord(BigInteger crlNumber, Instant thisUpdate, Instant nextUpdate, byte[] der) {

    public CrlRecord {
        Objects.requireNonNull(crlNumber, "crlNumber");
        Objects.requireNonNull(thisUpdate, "thisUpdate");
        Objects.requireNonNull(nextUpdate, "nextUpdate");
        der = der.clone();
    }

    @Override
    public byte[] der() {
        return der.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CrlRecord r && crlNumber.equals(r.crlNumber) && java.util.Arrays.equals(der, r.der);
    }

    @Override
    public int hashCode() {
        return crlNumber.hashCode();
    }

    @Override
    public String toString() {
        return "CrlRecord[#" + crlNumber + ", " + thisUpdate + " .. " + nextUpdate + "]";
    }
}
