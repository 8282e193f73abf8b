package org.egovpki.server.custody;

import java.util.Arrays;

/**
 * One opened key share: what a custodian presents to unlock the CA. Held in memory only, until
 * enough have arrived or they are discarded; {@link #toString()} never shows the bytes.
 *
 * @param custodian the custodian it was sealed for
 * @param index     its index in the split, 1..total
 * @param threshold how many shares unlock
 * @param total     how many shares the split has
 * @param keyStore  the key store's custody id
 * @param epoch     the split it comes from
 * @param bytes     the share itself
 */
public record Share(String custodian, int index, int threshold, int total, String keyStore, int epoch,
                    byte[] bytes) {

    public Share {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Overwrites the bytes this value holds. */
    void wipe() {
        Arrays.fill(bytes, (byte) 0);
    }

    @Override
    public String toString() {
        return "Share[" + custodian + ", " + index + " of " + total + ", threshold " + threshold + ", epoch " + epoch
                + "]";
    }
}
