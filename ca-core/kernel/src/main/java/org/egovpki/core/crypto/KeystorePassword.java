package org.egovpki.core.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CA keystore password for a demo or single-operator setup: read from a file, or generated
 * and written there on first start.
 *
 * <p>Invariant: a generated password is 32 characters drawn uniformly from {@code [A-Za-z0-9]}
 * (about 190 bits) with {@link SecureRandom}, and is on disk, owner-only (0600) and complete,
 * before it is returned, so a keystore is never created with a password that was not saved.
 * This is not key custody: M-of-N shares replace it for production.
 */
public final class KeystorePassword {

    /** Length of a generated password. */
    public static final int GENERATED_LENGTH = 32;

    private static final Logger LOG = LoggerFactory.getLogger(KeystorePassword.class);
    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private KeystorePassword() {
    }

    /** Same as {@link #loadOrGenerate(Path, SecureRandom)} with a new {@link SecureRandom}. */
    public static GeneratedSecret loadOrGenerate(Path passwordFile) {
        return loadOrGenerate(passwordFile, new SecureRandom());
    }

    /**
     * Reads the password from {@code passwordFile} (UTF-8, trailing line breaks removed), or, if
     * the file does not exist, generates one, writes it atomically with permissions 0600 and
     * returns it with {@link GeneratedSecret#generated()} true.
     *
     * <p>Two processes must not call this for the same missing file at the same time.
     *
     * @throws IllegalStateException if the file is empty, not UTF-8, or cannot be read or written
     */
    public static GeneratedSecret loadOrGenerate(Path passwordFile, SecureRandom random) {
        Objects.requireNonNull(passwordFile, "passwordFile");
        Objects.requireNonNull(random, "random");
        Path file = passwordFile.toAbsolutePath();
        if (Files.exists(file)) {
            return new GeneratedSecret(read(file), false);
        }
        char[] password = generate(random);
        byte[] content = new byte[GENERATED_LENGTH + 1];
        for (int i = 0; i < GENERATED_LENGTH; i++) {
            content[i] = (byte) password[i]; // the alphabet is ASCII
        }
        content[GENERATED_LENGTH] = '\n';
        try {
            AtomicFiles.writeOwnerOnly(file, content);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the generated keystore password to " + file + ": " + e
                    + "; check that the directory is writable, or create the file yourself (mode 600)", e);
        } finally {
            Arrays.fill(content, (byte) 0);
        }
        GeneratedSecret secret = new GeneratedSecret(password, true);
        Arrays.fill(password, '\0');
        return secret;
    }

    private static char[] generate(SecureRandom random) {
        char[] password = new char[GENERATED_LENGTH];
        for (int i = 0; i < password.length; i++) {
            password[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return password;
    }

    private static char[] read(Path file) {
        warnIfReadableByOthers(file);
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the keystore password file " + file + ": " + e, e);
        }
        CharBuffer chars;
        try {
            chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content));
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("keystore password file " + file + " is not UTF-8 text", e);
        } finally {
            Arrays.fill(content, (byte) 0);
        }
        int end = chars.limit();
        while (end > 0 && (chars.get(end - 1) == '\n' || chars.get(end - 1) == '\r')) {
            end--;
        }
        char[] password = new char[end];
        chars.get(password, 0, end);
        Arrays.fill(chars.array(), '\0');
        if (password.length == 0) {
            throw new IllegalStateException("keystore password file " + file
                    + " is empty; put the password in it, or delete it to have one generated");
        }
        return password;
    }

    private static void warnIfReadableByOthers(Path file) {
        try {
            AtomicFiles.posixPermissions(file)
                    .filter(permissions -> !AtomicFiles.OWNER_ONLY.containsAll(permissions))
                    .ifPresent(permissions -> LOG.warn(
                            "Keystore password file {} is accessible by others ({}); run: chmod 600 {}",
                            file, PosixFilePermissions.toString(permissions), file));
        } catch (IOException e) {
            LOG.warn("Cannot read the permissions of keystore password file {}: {}", file, e.toString());
        }
    }
}
