package org.egovpki.core.ocsp;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The persisted form of the pre-signed OCSP answers ({@code <data>/ocsp/presigned.bin}), read by
 * a server started locked so that it can still answer relying parties (docs/revocation.md,
 * "Pre-signed answers"). The answers are public signed data; the format protects against damage,
 * not against an attacker (who could not forge a CA signature anyway).
 *
 * <p>Format, version {@value #VERSION}, all integers big-endian:
 * <pre>
 *   magic      8 bytes  "EGOVOCSP"
 *   version    int      1
 *   count      int      number of entries, 0..{@value OcspResponder.Settings#MAX_PRESIGNED_ENTRIES}
 *   entry × count:
 *     caName     short length (1..255) + UTF-8
 *     serial     byte length (1..21) + two's-complement bytes
 *     certId     short length (1..1024) + DER
 *     response   int length (1..65536) + DER OCSPResponse
 *     thisUpdate long epoch milliseconds
 *     nextUpdate long epoch milliseconds
 *   digest     32 bytes SHA-256 of everything before it
 * </pre>
 *
 * <p>Invariants: {@link #read} returns answers only from a complete file whose digest matches and
 * whose every response is what its entry says ({@link PresignedAnswer#checked()}); anything else
 * (truncated, damaged, another version, too many entries) is refused with an
 * {@link Unreadable} that says what is wrong, and nothing is returned. At most {@code maxEntries}
 * answers are written and kept on reading (the first ones; the rest are read, checked and dropped).
 */
public final class PresignedSnapshot {

    /** The format version written. */
    public static final int VERSION = 1;

    private static final byte[] MAGIC = "EGOVOCSP".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_CA_NAME = 255;
    private static final int MAX_SERIAL = 21;
    private static final int MAX_CERT_ID = 1024;
    private static final int MAX_RESPONSE = 64 * 1024;
    private static final int DIGEST_LENGTH = 32;

    private PresignedSnapshot() {
    }

    /** A snapshot that cannot be read; the message says why. */
    public static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(String message) {
            super(message);
        }

        Unreadable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Writes {@code answers}, at most {@code maxEntries} of them (the first ones), to {@code out}.
     *
     * @return how many were written
     */
    public static int write(OutputStream out, List<PresignedAnswer> answers, int maxEntries) throws IOException {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(answers, "answers");
        requireMax(maxEntries);
        int count = Math.min(answers.size(), maxEntries);
        MessageDigest digest = sha256();
        DigestOutputStream digesting = new DigestOutputStream(out, digest);
        DataOutputStream data = new DataOutputStream(digesting);
        data.write(MAGIC);
        data.writeInt(VERSION);
        data.writeInt(count);
        for (int i = 0; i < count; i++) {
            PresignedAnswer answer = answers.get(i);
            byte[] name = answer.caName().getBytes(StandardCharsets.UTF_8);
            byte[] serial = answer.serial().toByteArray();
            byte[] certId = answer.certIdShared();
            byte[] response = answer.responseShared();
            if (name.length > MAX_CA_NAME || serial.length > MAX_SERIAL || certId.length > MAX_CERT_ID
                    || response.length > MAX_RESPONSE) {
                throw new IllegalArgumentException("pre-signed answer " + answer + " is larger than the format allows");
            }
            data.writeShort(name.length);
            data.write(name);
            data.writeByte(serial.length);
            data.write(serial);
            data.writeShort(certId.length);
            data.write(certId);
            data.writeInt(response.length);
            data.write(response);
            data.writeLong(answer.thisUpdate().toEpochMilli());
            data.writeLong(answer.nextUpdate().toEpochMilli());
        }
        data.flush();
        digesting.on(false);
        out.write(digest.digest());
        out.flush();
        return count;
    }

    /**
     * Reads a snapshot written by {@link #write}.
     *
     * @param maxEntries most answers kept ({@code ocsp.presignedMaxEntries})
     * @throws Unreadable when the bytes are not a complete, intact snapshot of this version
     */
    public static List<PresignedAnswer> read(InputStream in, int maxEntries) throws Unreadable {
        Objects.requireNonNull(in, "in");
        requireMax(maxEntries);
        MessageDigest digest = sha256();
        DataInputStream data = new DataInputStream(new DigestInputStream(in, digest));
        try {
            byte[] magic = new byte[MAGIC.length];
            data.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new Unreadable("not a pre-signed OCSP answers file (it does not start with EGOVOCSP)");
            }
            int version = data.readInt();
            if (version != VERSION) {
                throw new Unreadable("format version " + version + " is not supported (this version reads "
                        + VERSION + ")");
            }
            int count = data.readInt();
            if (count < 0 || count > OcspResponder.Settings.MAX_PRESIGNED_ENTRIES) {
                throw new Unreadable("it claims " + count + " answers; at most "
                        + OcspResponder.Settings.MAX_PRESIGNED_ENTRIES + " are possible");
            }
            List<PresignedAnswer> answers = new ArrayList<>(Math.min(count, maxEntries));
            List<String> problems = new ArrayList<>(1);
            for (int i = 0; i < count; i++) {
                String caName = new String(bytes(data, data.readUnsignedShort(), MAX_CA_NAME, "CA name", i),
                        StandardCharsets.UTF_8);
                BigInteger serial = new BigInteger(bytes(data, data.readUnsignedByte(), MAX_SERIAL, "serial", i));
                byte[] certId = bytes(data, data.readUnsignedShort(), MAX_CERT_ID, "CertID", i);
                byte[] response = bytes(data, data.readInt(), MAX_RESPONSE, "response", i);
                long thisUpdate = data.readLong();
                long nextUpdate = data.readLong();
                if (answers.size() >= maxEntries) {
                    continue;
                }
                try {
                    answers.add(PresignedAnswer.shared(caName, serial, certId, response, Instant.ofEpochMilli(thisUpdate),
                            Instant.ofEpochMilli(nextUpdate)).checked());
                } catch (IllegalArgumentException e) {
                    problems.add("entry " + (i + 1) + ": " + e.getMessage());
                }
            }
            byte[] computed = digest.digest();
            byte[] stored = new byte[DIGEST_LENGTH];
            new DataInputStream(in).readFully(stored);
            if (!MessageDigest.isEqual(computed, stored)) {
                throw new Unreadable("its SHA-256 digest does not match its content (the file is damaged)");
            }
            if (in.read() != -1) {
                throw new Unreadable("it has bytes after its digest (the file is damaged)");
            }
            if (!problems.isEmpty()) {
                throw new Unreadable("intact, but " + problems.size() + " of its answers do not hold what their entry "
                        + "says; first: " + problems.get(0));
            }
            return answers;
        } catch (EOFException e) {
            throw new Unreadable("it ends early (truncated)", e);
        } catch (IOException e) {
            throw new Unreadable("it cannot be read: " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(DataInputStream data, int length, int max, String what, int index)
            throws IOException, Unreadable {
        if (length < 1 || length > max) {
            throw new Unreadable("entry " + (index + 1) + " has a " + what + " of " + length + " bytes (allowed 1.."
                    + max + ")");
        }
        byte[] bytes = new byte[length];
        data.readFully(bytes);
        return bytes;
    }

    private static void requireMax(int maxEntries) {
        if (maxEntries < 1 || maxEntries > OcspResponder.Settings.MAX_PRESIGNED_ENTRIES) {
            throw new IllegalArgumentException("pre-signed answers maximum " + maxEntries + " is not allowed; use 1 to "
                    + OcspResponder.Settings.MAX_PRESIGNED_ENTRIES);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
