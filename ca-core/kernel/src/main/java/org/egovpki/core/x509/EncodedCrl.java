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
 * is null for a full CRL and the DeltaCRLIndicator value for a delta CRL; the DER is never
 * changed after construction, so the value is immutable.
 *
 * <p>Why a class and not a record: a full CRL of a million entries is ~49 MB, and a record's
 * canonical constructor would have to copy it. The public constructor copies the caller's array;
 * {@link CrlFactory} hands over the array it encoded into ({@link #adopt}), which nobody else
 * references, so a signed CRL exists once in the heap. {@link #der()} copies out; {@link
 * #writeTo}, {@link #derLength()} and {@link #sharedDer()} do not.
 */
public final class EncodedCrl {

    private final BigInteger crlNumber;
    private final BigInteger baseCrlNumber;
    private final Instant thisUpdate;
    private final Instant nextUpdate;
    private final int entryCount;
    private final byte[] der;

    /**
     * @param crlNumber     the CRLNumber extension
     * @param baseCrlNumber the DeltaCRLIndicator (base CRL number) of a delta CRL, or null for a full CRL
     * @param thisUpdate    thisUpdate, to the second
     * @param nextUpdate    nextUpdate, to the second
     * @param entryCount    number of revokedCertificates entries
     * @param der           the CertificateList, DER (copied)
     */
    public EncodedCrl(BigInteger crlNumber, BigInteger baseCrlNumber, Instant thisUpdate, Instant nextUpdate,
                      int entryCount, byte[] der) {
        this(crlNumber, baseCrlNumber, thisUpdate, nextUpdate, entryCount, Objects.requireNonNull(der, "der").clone(),
                true);
    }

    private EncodedCrl(BigInteger crlNumber, BigInteger baseCrlNumber, Instant thisUpdate, Instant nextUpdate,
                       int entryCount, byte[] der, boolean owned) { // owned: der is ours, never copied here
        this.crlNumber = Objects.requireNonNull(crlNumber, "crlNumber");
        this.thisUpdate = Objects.requireNonNull(thisUpdate, "thisUpdate");
        this.nextUpdate = Objects.requireNonNull(nextUpdate, "nextUpdate");
        if (entryCount < 0) {
            throw new IllegalArgumentException("entryCount " + entryCount + " is negative");
        }
        this.baseCrlNumber = baseCrlNumber;
        this.entryCount = entryCount;
        this.der = Objects.requireNonNull(der, "der");
    }

    /** A CRL over {@code der} itself, which the caller has just encoded and never touches again. */
    static EncodedCrl adopt(BigInteger crlNumber, BigInteger baseCrlNumber, Instant thisUpdate, Instant nextUpdate,
                            int entryCount, byte[] der) {
        return new EncodedCrl(crlNumber, baseCrlNumber, thisUpdate, nextUpdate, entryCount, der, true);
    }

    /** The CRLNumber extension. */
    public BigInteger crlNumber() {
        return crlNumber;
    }

    /** The DeltaCRLIndicator of a delta CRL, or null for a full CRL. */
    public BigInteger baseCrlNumber() {
        return baseCrlNumber;
    }

    public Instant thisUpdate() {
        return thisUpdate;
    }

    public Instant nextUpdate() {
        return nextUpdate;
    }

    /** Number of revokedCertificates entries. */
    public int entryCount() {
        return entryCount;
    }

    /** A copy of the DER. */
    public byte[] der() {
        return der.clone();
    }

    /**
     * The DER array itself, not a copy: for a holder of the same CRL ({@code CrlRecord.of}) or an
     * encoder that reads it once (the LDAP modify that publishes it), so a CRL of tens of megabytes
     * is not copied on its way to the directory. The caller must never write to it.
     */
    public byte[] sharedDer() {
        return der;
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
