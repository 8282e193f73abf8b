package org.egovpki.core.x509;

/**
 * One DER tag-length-value inside a byte array: its tag, where it starts, where its content starts
 * and where it ends (exclusive). For reading a few fields of a large structure (a CRL of a million
 * entries, every OCSP response sent) by walking headers, without decoding the rest into objects.
 * Only definite lengths of up to four octets, as DER has them (X.690 §10.1).
 */
public record DerTlv(int tag, int start, int contentStart, int end) {

    /** The TLV at {@code start}, which must end by {@code limit}; of tag {@code expected} unless that is -1. */
    public static DerTlv at(byte[] der, int start, int limit, int expected) {
        if (start >= limit) {
            throw new IllegalArgumentException("truncated at offset " + start);
        }
        int tag = der[start] & 0xff;
        if (expected != -1 && tag != expected) {
            throw new IllegalArgumentException("tag 0x" + Integer.toHexString(tag) + " at offset " + start
                    + " where 0x" + Integer.toHexString(expected) + " was expected");
        }
        int at = start + 1;
        if (at >= limit) {
            throw new IllegalArgumentException("truncated at offset " + at);
        }
        int first = der[at++] & 0xff;
        long length;
        if (first < 0x80) {
            length = first;
        } else {
            int octets = first & 0x7f;
            if (octets == 0 || octets > 4 || at + octets > limit) {
                throw new IllegalArgumentException("unsupported length at offset " + (at - 1));
            }
            length = 0;
            for (int i = 0; i < octets; i++) {
                length = (length << 8) | (der[at++] & 0xff);
            }
        }
        long end = at + length;
        if (end > limit) {
            throw new IllegalArgumentException("the element at offset " + start + " runs past its container");
        }
        return new DerTlv(tag, start, at, (int) end);
    }
}
