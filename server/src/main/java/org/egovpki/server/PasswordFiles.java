package org.egovpki.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A password an administrator keeps in a file (external directory accounts, trust stores): the file's
 * UTF-8 text without trailing line breaks, so {@code echo secret > file} and an editor's final newline
 * both give the same password. Never logged.
 */
public final class PasswordFiles {

    private PasswordFiles() {
    }

    /**
     * @param key the configuration key or option that names the file, for the message
     * @throws StartupException if the file cannot be read, is not UTF-8 or holds no password
     */
    public static char[] read(Path file, String key) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new StartupException(key + ": cannot read the password file " + file + ": " + e.getMessage());
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            int end = chars.limit();
            while (end > 0 && (chars.get(end - 1) == '\n' || chars.get(end - 1) == '\r')) {
                end--;
            }
            char[] password = new char[end];
            chars.get(password, 0, end);
            Arrays.fill(chars.array(), '\0');
            if (password.length == 0) {
                throw new StartupException(key + ": the password file " + file + " is empty; put the password in it");
            }
            return password;
        } catch (CharacterCodingException e) {
            throw new StartupException(key + ": the password file " + file + " is not UTF-8 text");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
