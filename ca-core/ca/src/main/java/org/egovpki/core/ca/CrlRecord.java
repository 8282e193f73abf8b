package org.egovpki.core.ca;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import org.egovpki.core.x509.EncodedCrl;

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

    /** The record of a freshly signed CRL. */
    public static CrlRecord of(EncodedCrl crl) {
        Objects.requireNonNull(crl, "crl");
        return new CrlRecord(crl.crlNumber(), crl.thisUpdate(), crl.nextUpdate(), crl.der());
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
