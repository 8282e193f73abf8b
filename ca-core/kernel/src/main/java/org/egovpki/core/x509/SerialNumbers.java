package org.egovpki.core.x509;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * Certificate serial numbers.
 *
 * <p>Invariant: a serial from {@link #random(SecureRandom)} is positive and non-zero, has 127
 * random bits (REQUIREMENTS §3 and the CA/Browser Forum ask for at least 64), and its DER
 * INTEGER content is at most 16 octets, inside RFC 5280's limit of 20. The top bit is cleared
 * rather than a sign octet added so every serial fits the same 16 octets.
 */
public final class SerialNumbers {

    /** Random octets per serial. */
    public static final int RANDOM_OCTETS = 16;

    private SerialNumbers() {
    }

    /** A fresh random serial; uniqueness per issuer is the caller's store's job. */
    public static BigInteger random(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        byte[] octets = new byte[RANDOM_OCTETS];
        BigInteger serial;
        do {
            random.nextBytes(octets);
            octets[0] &= 0x7f;
            serial = new BigInteger(1, octets);
        } while (serial.signum() == 0);
        return serial;
    }

    /** Lower-case hexadecimal without leading zeros, as used in directory entries and logs. */
    public static String toHex(BigInteger serial) {
        Objects.requireNonNull(serial, "serial");
        if (serial.signum() < 0) {
            throw new IllegalArgumentException("serial number " + serial + " is negative; serials are positive");
        }
        return serial.toString(16);
    }
}
