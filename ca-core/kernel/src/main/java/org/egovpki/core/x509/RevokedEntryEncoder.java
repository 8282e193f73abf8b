package org.egovpki.core.x509;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;

/**
 * Encodes the revokedCertificates of one CRL, entry by entry as a {@link RevokedEntrySource}
 * delivers them, into DER held in {@link ChunkedBytes}, and refuses a serial listed twice.
 *
 * <p>Each entry becomes (RFC 5280 §5.1):
 * <pre>
 * SEQUENCE { userCertificate INTEGER, revocationDate Time,
 *            crlEntryExtensions SEQUENCE { reasonCode?, invalidityDate? } OPTIONAL }
 * </pre>
 * reasonCode (non-critical) is left out for unspecified (0), as §5.3.1 recommends;
 * invalidityDate (non-critical) is a GeneralizedTime (§5.3.2); crlEntryExtensions is left out
 * when empty. The reasonCode extensions are encoded by Bouncy Castle once per reason.
 *
 * <p>Duplicate serials are checked exactly but compactly: for each entry one {@code long}
 * holding a 32-bit hash of the serial and the offset of its INTEGER in the buffer (8 bytes per
 * entry instead of a {@code HashSet<BigInteger>}'s ~100). {@link #requireDistinctSerials}
 * sorts these and compares the actual encoded serials only where hashes are equal, so a hash
 * collision never refuses a valid CRL. DER INTEGER encodings are unique, so equal encodings
 * mean equal serials.
 *
 * <p>Single use and not thread-safe: the source must call {@link #accept} from one thread at a
 * time, and not after {@link #close()}.
 */
final class RevokedEntryEncoder implements Consumer<RevokedEntry> {

    /** Encoded reasonCode extensions, indexed by reason code; null where none is written. */
    private static final byte[][] REASON_EXTENSIONS = reasonExtensions();

    /**
     * {@code Extension ::= SEQUENCE { extnID invalidityDate, extnValue OCTET STRING {
     * GeneralizedTime } }} up to the 15 time octets. Fixed because a GeneralizedTime without
     * fractions always has 15 octets; a test compares it with Bouncy Castle's encoding.
     */
    private static final byte[] INVALIDITY_DATE_PREFIX = {
        0x30, 0x18, 0x06, 0x03, 0x55, 0x1d, 0x18, 0x04, 0x11, 0x18, 0x0f};
    private static final int INVALIDITY_DATE_EXTENSION_LENGTH =
            INVALIDITY_DATE_PREFIX.length + Der.GENERALIZED_TIME_LENGTH;

    private final BigInteger crlNumber;
    private final boolean delta;
    private final ChunkedBytes out = new ChunkedBytes();
    private byte[] scratch = new byte[128];
    private long[] serialKeys = new long[256];
    private int count;
    private boolean closed;

    /**
     * @param crlNumber the number of the CRL being built, for messages
     * @param delta     whether it is a delta CRL (only those may carry removeFromCRL)
     */
    RevokedEntryEncoder(BigInteger crlNumber, boolean delta) {
        this.crlNumber = Objects.requireNonNull(crlNumber, "crlNumber");
        this.delta = delta;
    }

    @Override
    public void accept(RevokedEntry entry) {
        if (closed) {
            throw new IllegalStateException("revoked entry " + (entry == null ? "null" : SerialNumbers.toHex(entry.serial()))
                    + " arrived after the source's forEach returned; a RevokedEntrySource must deliver every entry"
                    + " before forEach returns");
        }
        Objects.requireNonNull(entry, () -> "the revoked-entry source delivered null as entry " + (count + 1)
                + " of CRL " + crlNumber);
        Integer reason = entry.reasonCode();
        if (!delta && reason != null && reason == CRLReason.removeFromCRL) {
            throw new IllegalArgumentException("serial " + SerialNumbers.toHex(entry.serial())
                    + " has reason removeFromCRL (8), which only delta CRLs carry (RFC 5280 §5.3.1);"
                    + " leave it out of full CRL " + crlNumber);
        }
        byte[] serial = entry.serial().toByteArray();
        long serialLength = Der.tlvLength(serial.length);
        int timeLength = 2 + Der.timeContentLength(entry.revocationDate());
        byte[] reasonExtension = reason == null ? null : REASON_EXTENSIONS[reason];
        int extensionsContent = (reasonExtension == null ? 0 : reasonExtension.length)
                + (entry.invalidityDate() == null ? 0 : INVALIDITY_DATE_EXTENSION_LENGTH);
        long extensionsLength = extensionsContent == 0 ? 0 : Der.tlvLength(extensionsContent);
        long content = serialLength + timeLength + extensionsLength;
        long total = Der.tlvLength(content);
        if (total > scratch.length) {
            scratch = new byte[(int) total];
        }

        int p = Der.header(Der.SEQUENCE, content, scratch, 0);
        long serialOffset = out.size() + p;
        p = Der.header(Der.INTEGER, serial.length, scratch, p);
        System.arraycopy(serial, 0, scratch, p, serial.length);
        p += serial.length;
        p = Der.time(entry.revocationDate(), scratch, p);
        if (extensionsContent > 0) {
            p = Der.header(Der.SEQUENCE, extensionsContent, scratch, p);
            if (reasonExtension != null) {
                System.arraycopy(reasonExtension, 0, scratch, p, reasonExtension.length);
                p += reasonExtension.length;
            }
            if (entry.invalidityDate() != null) {
                System.arraycopy(INVALIDITY_DATE_PREFIX, 0, scratch, p, INVALIDITY_DATE_PREFIX.length);
                p = Der.generalizedTimeContent(entry.invalidityDate(), scratch, p + INVALIDITY_DATE_PREFIX.length);
            }
        }
        out.write(scratch, 0, p);
        remember(serial, serialOffset);
    }

    /** Ends the source's pass: later {@link #accept} calls are refused. */
    void close() {
        closed = true;
    }

    /** Entries encoded. */
    int count() {
        return count;
    }

    /** Octets of the encoded entries (the content of the revokedCertificates SEQUENCE). */
    long size() {
        return out.size();
    }

    void writeTo(OutputStream stream) throws IOException {
        out.writeTo(stream);
    }

    int copyTo(byte[] destination, int offset) {
        return out.copyTo(destination, offset);
    }

    /**
     * Refuses the CRL if any serial was delivered twice.
     *
     * @throws IllegalArgumentException naming the first duplicate serial found
     */
    void requireDistinctSerials() {
        long[] keys = serialKeys;
        Arrays.sort(keys, 0, count);
        int runStart = 0;
        for (int i = 1; i <= count; i++) {
            if (i == count || (keys[i] >>> 32) != (keys[runStart] >>> 32)) {
                if (i - runStart > 1) {
                    requireDistinct(keys, runStart, i);
                }
                runStart = i;
            }
        }
    }

    /** Compares the serials whose hashes collided, keys[from..to). */
    private void requireDistinct(long[] keys, int from, int to) {
        List<byte[]> serials = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            serials.add(serialAt(keys[i] & 0xffffffffL));
        }
        serials.sort(Arrays::compare);
        for (int i = 1; i < serials.size(); i++) {
            if (Arrays.equals(serials.get(i - 1), serials.get(i))) {
                throw new IllegalArgumentException("serial " + SerialNumbers.toHex(new BigInteger(serials.get(i)))
                        + " is listed twice in CRL " + crlNumber + "; the revoked-entry source must deliver each revoked"
                        + " certificate once (a paged directory search changed while it was read?)");
            }
        }
    }

    /** The content octets of the INTEGER at {@code offset}. */
    private byte[] serialAt(long offset) {
        int lengthOctet = out.byteAt(offset + 1);
        long p = offset + 2;
        int length = lengthOctet;
        if (lengthOctet >= 0x80) {
            length = 0;
            for (int i = 0; i < (lengthOctet & 0x7f); i++) {
                length = (length << 8) | out.byteAt(p++);
            }
        }
        byte[] serial = new byte[length];
        for (int i = 0; i < length; i++) {
            serial[i] = (byte) out.byteAt(p + i);
        }
        return serial;
    }

    private void remember(byte[] serial, long offset) {
        if (count == serialKeys.length) {
            serialKeys = Arrays.copyOf(serialKeys, serialKeys.length * 2);
        }
        // ChunkedBytes.MAX_SIZE keeps every offset below 2^31, so it fits the low 32 bits.
        serialKeys[count++] = ((long) hash(serial) << 32) | offset;
    }

    /** Arrays.hashCode spread by MurmurHash3's finaliser, so sequential serials spread too. */
    private static int hash(byte[] serial) {
        int h = Arrays.hashCode(serial);
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    private static byte[][] reasonExtensions() {
        byte[][] encoded = new byte[CRLReason.aACompromise + 1][];
        for (int reason = CRLReason.keyCompromise; reason <= CRLReason.aACompromise; reason++) {
            if (reason == 7) {
                continue; // unassigned in RFC 5280 §5.3.1
            }
            try {
                encoded[reason] = Extension.create(Extension.reasonCode, false, CRLReason.lookup(reason))
                        .getEncoded(ASN1Encoding.DER);
            } catch (IOException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
        return encoded; // [0] unspecified stays null: RFC 5280 §5.3.1 says to leave it out
    }
}
