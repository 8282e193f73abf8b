package org.egovpki.core.x509;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * An append-only byte buffer kept as a list of chunks, for the revoked-certificate entries of a
 * CRL while they are being encoded.
 *
 * <p>Why chunks rather than a doubling array: growing one array copies everything written so
 * far and briefly needs old plus new capacity (three times the data at worst), and large arrays
 * are humongous objects for G1. Chunks are never copied; the data is copied once, into the final
 * CRL. Chunks start small (an empty CRL costs 4 KiB) and double up to 256 KiB, which stays below
 * half a G1 region (regions are 1 MiB for heaps under 2 GiB): a 1 MiB chunk would be humongous
 * and take two regions, doubling the buffer's footprint (measured: a million entries then no
 * longer built in a 160 MiB heap).
 *
 * <p>Invariant: the total size never exceeds {@link #MAX_SIZE}, so the data always fits one Java
 * array. Not thread-safe.
 */
final class ChunkedBytes {

    /** The most a Java byte array can safely hold, less room for the CRL's headers and signature. */
    static final long MAX_SIZE = Integer.MAX_VALUE - 64 * 1024;

    private static final int FIRST_CHUNK = 4 * 1024;
    private static final int LARGEST_CHUNK = 256 * 1024;

    private final List<byte[]> chunks = new ArrayList<>();
    private byte[] current;
    private int position;
    private long size;

    ChunkedBytes() {
        current = new byte[FIRST_CHUNK];
        chunks.add(current);
    }

    /** Bytes written so far. */
    long size() {
        return size;
    }

    /**
     * Appends {@code length} bytes of {@code source} from {@code offset}.
     *
     * @throws IllegalStateException if the buffer would exceed {@link #MAX_SIZE}
     */
    void write(byte[] source, int offset, int length) {
        if (size + length > MAX_SIZE) {
            throw new IllegalStateException("the CRL entries exceed " + MAX_SIZE
                    + " bytes, more than one DER array can hold; partition the CRL (issuing distribution points)");
        }
        while (length > 0) {
            if (position == current.length) {
                current = new byte[Math.min(current.length * 2, LARGEST_CHUNK)];
                chunks.add(current);
                position = 0;
            }
            int n = Math.min(length, current.length - position);
            System.arraycopy(source, offset, current, position, n);
            position += n;
            offset += n;
            length -= n;
            size += n;
        }
    }

    /** Writes everything to {@code out}, chunk by chunk. */
    void writeTo(OutputStream out) throws IOException {
        int last = chunks.size() - 1;
        for (int i = 0; i < last; i++) {
            out.write(chunks.get(i));
        }
        out.write(current, 0, position);
    }

    /** Copies everything into {@code destination} from {@code offset}; returns the position after it. */
    int copyTo(byte[] destination, int offset) {
        int last = chunks.size() - 1;
        for (int i = 0; i < last; i++) {
            byte[] chunk = chunks.get(i);
            System.arraycopy(chunk, 0, destination, offset, chunk.length);
            offset += chunk.length;
        }
        System.arraycopy(current, 0, destination, offset, position);
        return offset + position;
    }

    /** The byte at {@code offset} (0 &le; offset &lt; size), as 0..255. Walks the chunk list: for rare reads only. */
    int byteAt(long offset) {
        if (offset < 0 || offset >= size) {
            throw new IndexOutOfBoundsException("offset " + offset + " outside 0.." + size);
        }
        for (byte[] chunk : chunks) {
            if (offset < chunk.length) {
                return chunk[(int) offset] & 0xff;
            }
            offset -= chunk.length;
        }
        throw new IllegalStateException("unreachable: offset within size but beyond the chunks");
    }
}
