package org.egovpki.core.x509;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A signed CRL as {@link CrlFactory} returns it: the DER and the facts a publisher needs, so
 * nobody has to parse a large CRL back to learn its number or dates.
 *
 * <p>Invariants: numbers and dates are those encoded in {@link #der()}; {@code baseCrlNumber}
 * is null for a full CRL and the DeltaCRLIndicator value for a delta CRL; the DER array is
 * copied in and out, so the value is immutable. For large CRLs prefer {@link #writeTo} and
 * {@link #derLength()}, which do not copy.
 *
 * @param crlNumber     the CRLNumber extension
 * @param baseCrlNumber the DeltaCRLIndicator (base CRL number) of a delta CRL, or null for a full CRL
 * @param thisUpdate    thisUpdate, to the second
 * @param nextUpdate    nextUpdate, to the second
 * @param entryCount    number of revokedCertificates entries
 * @param der           the CertificateList, DER
 */
public record EncodedCrl(BigInteger crlNumber, BigInteger baseCrlNumber, Instant thisUpdate, Instant nextUpdate,
                         int entryCount, byte[] der) {

    public EncodedCrl {
        Objects.requireNonNull(crlNumber, "crlNumber");
        Objects.requireNonNull(thisUpdate, "thisUpdate");
        Objects.requireNonNull(nextUpdate, "nextUpdate");
        if (entryCount < 0) {
            throw new IllegalArgumentException("entryCount " + entryCount + " is negative");
        }
        der = Objects.requireNonNull(der, "der").clone();
    }

    /** A copy of the DER. */
    @Override
    public byte[] der() {
        return der.clone();
    }

    /** Octets of the DER. */
    public int derLength() {
        return der.length;
    }

    /** Writes the DER to {@code out} without copying it. */
    public void writeTo(OutputStream out) throws IOException {
        out.write(der);
    }

    /** Whether this is a delta CRL (it has a DeltaCRLIndicator). */
    public boolean isDelta() {
        return baseCrlNumber != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncodedCrl other && crlNumber.equals(other.crlNumber) && Arrays.equals(der, other.der);
    }

    @Override
    public int hashCode() {
        return crlNumber.hashCode(); // consistent with equals, without hashing megabytes
    }

    @Override
    public String toString() {
        return "EncodedCrl[#" + crlNumber + (isDelta() ? " delta of #" + baseCrlNumber : "") + ", " + thisUpdate
                + " .. " + nextUpdate + ", " + entryCount + " entries, " + der.length + " bytes]";
    }
}
