package org.egovpki.core.x509;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The few DER primitives the streaming CRL encoder writes by hand: tag-length headers, and the
 * RFC 5280 §4.1.2.5 time encodings.
 *
 * <p>Why by hand: a CRL of a million entries must not build a million Bouncy Castle ASN.1 object
 * trees. Everything here is a pure function of its arguments writing into a caller's array, so
 * it allocates nothing per entry beyond the date fields. Everything larger (extensions,
 * algorithm identifiers, names) is still encoded by Bouncy Castle once per CRL.
 *
 * <p>Invariants: lengths use the definite short form below 128 and the minimal long form above
 * (X.690 §10.1); times are to the second with a trailing {@code Z} and no fractional part
 * (RFC 5280 §4.1.2.5.1/.2).
 */
final class Der {

    static final int INTEGER = 0x02;
    static final int BIT_STRING = 0x03;
    static final int OCTET_STRING = 0x04;
    static final int UTC_TIME = 0x17;
    static final int GENERALIZED_TIME = 0x18;
    static final int SEQUENCE = 0x30;
    /** {@code [0] EXPLICIT}, constructed: how TBSCertList wraps crlExtensions. */
    static final int CONTEXT_0_CONSTRUCTED = 0xa0;

    /** Content octets of a UTCTime {@code YYMMDDHHMMSSZ}. */
    static final int UTC_TIME_LENGTH = 13;
    /** Content octets of a GeneralizedTime {@code YYYYMMDDHHMMSSZ}. */
    static final int GENERALIZED_TIME_LENGTH = 15;

    private Der() {
    }

    /** Octets of the length field for {@code contentLength} content octets. */
    static int lengthOfLength(long contentLength) {
        if (contentLength < 0 || contentLength > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("DER content length " + contentLength + " is out of range");
        }
        if (contentLength < 0x80) {
            return 1;
        }
        if (contentLength <= 0xff) {
            return 2;
        }
        if (contentLength <= 0xffff) {
            return 3;
        }
        return contentLength <= 0xffffff ? 4 : 5;
    }

    /** Octets of a whole TLV with a one-octet tag and {@code contentLength} content octets. */
    static long tlvLength(long contentLength) {
        return 1 + lengthOfLength(contentLength) + contentLength;
    }

    /** Writes tag and length at {@code position}; returns the position after them. */
    static int header(int tag, long contentLength, byte[] destination, int position) {
        int lengthOctets = lengthOfLength(contentLength);
        destination[position++] = (byte) tag;
        if (lengthOctets == 1) {
            destination[position++] = (byte) contentLength;
            return position;
        }
        destination[position++] = (byte) (0x80 | (lengthOctets - 1));
        for (int shift = 8 * (lengthOctets - 2); shift >= 0; shift -= 8) {
            destination[position++] = (byte) (contentLength >>> shift);
        }
        return position;
    }

    /** Tag and length as a fresh array. */
    static byte[] header(int tag, long contentLength) {
        byte[] header = new byte[1 + lengthOfLength(contentLength)];
        header(tag, contentLength, header, 0);
        return header;
    }

    /**
     * Content octets of the RFC 5280 Time for {@code time}: UTCTime for the years 1950 through
     * 2049, GeneralizedTime otherwise (§4.1.2.5; §5.1.2.4-6 apply the same rule to thisUpdate,
     * nextUpdate and revocationDate).
     */
    static int timeContentLength(Instant time) {
        return usesUtcTime(year(time)) ? UTC_TIME_LENGTH : GENERALIZED_TIME_LENGTH;
    }

    /** Writes {@code time} as an RFC 5280 Time TLV (truncated to the second); returns the new position. */
    static int time(Instant time, byte[] destination, int position) {
        LocalDateTime utc = utc(time);
        if (usesUtcTime(utc.getYear())) {
            destination[position++] = UTC_TIME;
            destination[position++] = UTC_TIME_LENGTH;
            position = digits(utc.getYear() % 100, 2, destination, position);
        } else {
            destination[position++] = GENERALIZED_TIME;
            destination[position++] = GENERALIZED_TIME_LENGTH;
            position = digits(utc.getYear(), 4, destination, position);
        }
        return monthToSecond(utc, destination, position);
    }

    /** Writes the 15 content octets {@code YYYYMMDDHHMMSSZ} of a GeneralizedTime; returns the new position. */
    static int generalizedTimeContent(Instant time, byte[] destination, int position) {
        LocalDateTime utc = utc(time);
        position = digits(utc.getYear(), 4, destination, position);
        return monthToSecond(utc, destination, position);
    }

    private static int monthToSecond(LocalDateTime utc, byte[] destination, int position) {
        position = digits(utc.getMonthValue(), 2, destination, position);
        position = digits(utc.getDayOfMonth(), 2, destination, position);
        position = digits(utc.getHour(), 2, destination, position);
        position = digits(utc.getMinute(), 2, destination, position);
        position = digits(utc.getSecond(), 2, destination, position);
        destination[position++] = 'Z';
        return position;
    }

    private static boolean usesUtcTime(int year) {
        return year >= 1950 && year <= 2049;
    }

    private static int year(Instant time) {
        return utc(time).getYear();
    }

    private static LocalDateTime utc(Instant time) {
        LocalDateTime utc = LocalDateTime.ofEpochSecond(time.getEpochSecond(), 0, ZoneOffset.UTC);
        if (utc.getYear() < 0 || utc.getYear() > 9999) {
            throw new IllegalArgumentException("time " + time + " has no four-digit year and cannot be encoded in a CRL");
        }
        return utc;
    }

    private static int digits(int value, int count, byte[] destination, int position) {
        for (int i = count - 1; i >= 0; i--) {
            destination[position + i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return position + count;
    }
}
