package org.egovpki.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user PIN of the CA keys' PKCS#11 token, read from {@code caKeys.pkcs11.pinFile}: UTF-8, one
 * line (a trailing newline is not part of the PIN). A file every user can read is used, with a warning.
 */
final class TokenPin {

    private static final Logger LOG = LoggerFactory.getLogger(TokenPin.class);

    private TokenPin() {
    }

    static char[] read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new StartupException("Cannot read the token PIN file " + file + " (caKeys.pkcs11.pinFile): " + e
                    + "; create it with the user PIN on one line, readable by the server's user only");
        }
        try {
            warnIfReadableByOthers(file);
            int length = bytes.length;
            while (length > 0 && (bytes[length - 1] == '\n' || bytes[length - 1] == '\r')) {
                length--;
            }
            if (length == 0) {
                throw new StartupException("The token PIN file " + file + " (caKeys.pkcs11.pinFile) is empty");
            }
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length));
            char[] pin = new char[chars.remaining()];
            chars.get(pin);
            Arrays.fill(chars.array(), '\0');
            return pin;
        } catch (CharacterCodingException e) {
            throw new StartupException("The token PIN file " + file + " (caKeys.pkcs11.pinFile) is not UTF-8 text");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static void warnIfReadableByOthers(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("The token PIN file {} is readable by every user ({}); run: chmod o-rwx {}", file,
                        PosixFilePermissions.toString(permissions), file);
            }
        } catch (UnsupportedOperationException | IOException e) {
            LOG.debug("Cannot read the permissions of {}: {}", file, e.toString());
        }
    }
}
