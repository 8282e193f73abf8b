package org.egovpki.core.ca;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.egovpki.core.x509.EncodedCrl;

/**
 * A signed CRL as published for one CA.
 *
 * <p>Immutable: the DER is never changed after construction. Why a class and not a record: a
 * full CRL of a million entries is ~49 MB; the public constructor copies the caller's array, but
 * {@link #of(EncodedCrl)} shares the signed CRL's array (which is immutable too), so publishing a
 * CRL does not double it in the heap. {@link #der()} copies out; {@link #sharedDer()} does not.
 */
public final class CrlRecord {

    private final BigInteger crlNumber;
    private final Instant thisUpdate;
    private final Instant nextUpdate;
    private final byte[] der;

    /**
     * @param crlNumber  the CRLNumber extension's value
     * @param thisUpdate the CRL's thisUpdate
     * @param nextUpdate the CRL's nextUpdate
     * @param der        the CRL, DER (copied)
     */
    public CrlRecord(BigInteger crlNumber, Instant thisUpdate, Instant nextUpdate, byte[] der) {
        this(Objects.requireNonNull(der, "der").clone(), crlNumber, thisUpdate, nextUpdate);
    }

    /** Over {@code der} itself, which nobody changes. */
    private CrlRecord(byte[] der, BigInteger crlNumber, Instant thisUpdate, Instant nextUpdate) {
        this.crlNumber = Objects.requireNonNull(crlNumber, "crlNumber");
        this.thisUpdate = Objects.requireNonNull(thisUpdate, "thisUpdate");
        this.nextUpdate = Objects.requireNonNull(nextUpdate, "nextUpdate");
        this.der = der;
    }

    /** The record of a freshly signed CRL, sharing its DER (no copy: both are immutable). */
    public static CrlRecord of(EncodedCrl crl) {
        Objects.requireNonNull(crl, "crl");
        return new CrlRecord(crl.sharedDer(), crl.crlNumber(), crl.thisUpdate(), crl.nextUpdate());
    }

    /** The CRLNumber extension's value. */
    public BigInteger crlNumber() {
        return crlNumber;
    }

    public Instant thisUpdate() {
        return thisUpdate;
    }

    public Instant nextUpdate() {
        return nextUpdate;
    }

    /** A copy of the DER. */
    public byte[] der() {
        return der.clone();
    }

    /**
     * The DER array itself, not a copy: for an encoder that reads it once on its way out (the LDAP
     * modify that publishes it), so a CRL of tens of megabytes is not copied again. The caller must
     * never write to it.
     */
    public byte[] sharedDer() {
        return der;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CrlRecord r && crlNumber.equals(r.crlNumber) && Arrays.equals(der, r.der);
    }

    @Override
    public int hashCode() {
        return crlNumber.hashCode(); // consistent with equals, without hashing megabytes
    }

    @Override
    public String toString() {
        return "CrlRecord[#" + crlNumber + ", " + thisUpdate + " .. " + nextUpdate + "]";
    }
}
