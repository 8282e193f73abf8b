package org.egovpki.server.custody;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.egovpki.server.backup.ArchiveKeys;

/**
 * One custodian's share of the CA key store password, as the file handed to that custodian
 * ({@code <data>/custody/<name>.share} until it is moved off the machine). The header says, in
 * clear text, whose share it is, its index, the threshold and the number of shares, the key store
 * it belongs to ({@code keyStore}, a random id fixed at {@code init}) and the split it comes from
 * ({@code epoch}, raised by every reshare); the share bytes are sealed with the custodian's
 * passphrase exactly as a backup archive's members are ({@link ArchiveKeys}: PBKDF2-HMAC-SHA256,
 * AES-256-GCM), the whole header being the associated data, so a header changed by hand does not
 * open either.
 *
 * @param custodian  the custodian's name (an operator login)
 * @param index      the share's index, 1..total
 * @param threshold  how many shares unlock
 * @param total      how many shares this split has
 * @param keyStore   the key store's custody id (hex)
 * @param epoch      the split: 1 at init, +1 at every reshare
 * @param iterations PBKDF2 iterations
 * @param salt       PBKDF2 salt
 * @param sealed     IV, ciphertext and tag of the share bytes
 */
public record ShareFile(String custodian, int index, int threshold, int total, String keyStore, int epoch,
                        int iterations, byte[] salt, byte[] sealed) {

    static final String FORMAT = "egov-pki key share 1";
    static final String SUFFIX = ".share";

    public ShareFile {
        salt = salt.clone();
        sealed = sealed.clone();
    }

    /** Seals {@code share} for {@code custodian} with that custodian's passphrase (≥ 12 characters). */
    static ShareFile seal(String custodian, int index, int threshold, int total, String keyStore, int epoch,
                          byte[] share, char[] passphrase, int iterations, SecureRandom random) {
        byte[] salt = ArchiveKeys.newSalt(random);
        ShareFile header = new ShareFile(custodian, index, threshold, total, keyStore, epoch, iterations, salt,
                new byte[0]);
        try (ArchiveKeys keys = ArchiveKeys.derive(passphrase, salt, iterations)) {
            return new ShareFile(custodian, index, threshold, total, keyStore, epoch, iterations, salt,
                    keys.encrypt(share, header.associatedData(), random));
        }
    }

    /**
     * The share bytes, opened with the custodian's passphrase.
     *
     * @throws IllegalArgumentException for a wrong passphrase or a changed file
     */
    public Share open(char[] passphrase) {
        try (ArchiveKeys keys = ArchiveKeys.derive(passphrase, salt, iterations)) {
            return new Share(custodian, index, threshold, total, keyStore, epoch,
                    keys.decrypt(sealed, associatedData()));
        } catch (ArchiveKeys.WrongPassphraseException e) {
            throw new IllegalArgumentException("the share file of custodian " + custodian + " does not open with "
                    + "this passphrase (wrong passphrase, or the file was changed)");
        }
    }

    /** The file's text. */
    public String text() {
        return header() + "sealed: " + Base64.getEncoder().encodeToString(sealed) + "\n";
    }

    /** Writes the file, owner-only where the file system allows. */
    void write(Path file) {
        try {
            Files.writeString(file, text(), StandardCharsets.UTF_8);
            ownerOnly(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the share file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void ownerOnly(Path file) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        }
    }

    /** Reads a share file; refuses anything else with a message naming the file. */
    public static ShareFile read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the share file " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    static ShareFile parse(String text, String source) {
        Map<String, String> fields = new LinkedHashMap<>();
        String[] lines = text.split("\n");
        if (lines.length == 0 || !lines[0].equals(FORMAT)) {
            throw new IllegalArgumentException(source + " is not an egov-pki key share (its first line must be '"
                    + FORMAT + "')");
        }
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            int colon = lines[i].indexOf(": ");
            if (colon < 1 || fields.put(lines[i].substring(0, colon), lines[i].substring(colon + 2)) != null) {
                throw new IllegalArgumentException(source + ", line " + (i + 1) + ": not a 'field: value' line, or a "
                        + "field given twice");
            }
        }
        try {
            ShareFile file = new ShareFile(required(fields, "custodian", source), number(fields, "index", source),
                    number(fields, "threshold", source), number(fields, "shares", source),
                    required(fields, "keyStore", source), number(fields, "epoch", source),
                    number(fields, "iterations", source),
                    Base64.getDecoder().decode(required(fields, "salt", source)),
                    Base64.getDecoder().decode(required(fields, "sealed", source)));
            if (!file.text().equals(text.endsWith("\n") ? text : text + "\n")) {
                throw new IllegalArgumentException(source + " has unknown fields or fields out of order");
            }
            return file;
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(source)) {
                throw e;
            }
            throw new IllegalArgumentException(source + ": damaged share file (" + e.getMessage() + ")", e);
        }
    }

    private String header() {
        return FORMAT + "\n"
                + "custodian: " + custodian + "\n"
                + "index: " + index + "\n"
                + "threshold: " + threshold + "\n"
                + "shares: " + total + "\n"
                + "keyStore: " + keyStore + "\n"
                + "epoch: " + epoch + "\n"
                + "iterations: " + iterations + "\n"
                + "salt: " + Base64.getEncoder().encodeToString(salt) + "\n";
    }

    private byte[] associatedData() {
        return header().getBytes(StandardCharsets.UTF_8);
    }

    private static String required(Map<String, String> fields, String name, String source) {
        String value = fields.get(name);
        if (value == null) {
            throw new IllegalArgumentException(source + " has no '" + name + "' field");
        }
        return value;
    }

    private static int number(Map<String, String> fields, String name, String source) {
        String value = required(fields, name, source);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + ": field '" + name + "' is not a number: " + value);
        }
    }

    @Override
    public String toString() {
        return "ShareFile[" + custodian + ", share " + index + " of " + total + ", threshold " + threshold
                + ", keyStore " + keyStore + ", epoch " + epoch + "]";
    }
}
