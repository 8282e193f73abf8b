package org.egovpki.server.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.egovpki.server.StartupException;
import org.egovpki.server.backup.ArchiveKeys;

/**
 * The backup passphrase: from a file (its first line), or asked on the terminal without echo.
 * Never an option value, so it appears in no process list or shell history.
 */
final class Passphrases {

    private Passphrases() {
    }

    /**
     * Reads the passphrase and refuses one shorter than {@link ArchiveKeys#MIN_PASSPHRASE}.
     *
     * @param confirm ask twice on the terminal (backup: a typo would make the archive unreadable)
     */
    static char[] read(Path file, boolean confirm) {
        return read(file, confirm, "Backup passphrase");
    }

    /** As {@link #read(Path, boolean)}, the terminal prompt starting with {@code label} (a custodian's passphrase). */
    static char[] read(Path file, boolean confirm, String label) {
        char[] passphrase = file != null ? fromFile(file) : prompt(confirm, label);
        try {
            ArchiveKeys.checkLength(passphrase);
        } catch (IllegalArgumentException e) {
            Arrays.fill(passphrase, '\0');
            throw new StartupException(e.getMessage() + "; nothing was written");
        }
        return passphrase;
    }

    private static char[] fromFile(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new StartupException("cannot read the passphrase file " + file + ": " + e.getMessage());
        }
        int end = 0;
        while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
            end++;
        }
        CharBuffer chars = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(bytes, 0, end));
        char[] passphrase = new char[chars.remaining()];
        chars.get(passphrase);
        Arrays.fill(bytes, (byte) 0);
        Arrays.fill(chars.array(), '\0');
        return passphrase;
    }

    private static char[] prompt(boolean confirm, String label) {
        Console console = System.console();
        if (console == null) {
            throw new StartupException("no terminal to ask for the passphrase on; give --passphrase-file FILE "
                    + "(never the passphrase itself on the command line)");
        }
        char[] first = console.readPassword("%s (at least %d characters): ", label, ArchiveKeys.MIN_PASSPHRASE);
        if (first == null) {
            throw new StartupException("no passphrase given; nothing was written");
        }
        if (confirm) {
            char[] again = console.readPassword("The same passphrase again: ");
            boolean same = again != null && Arrays.equals(first, again);
            if (again != null) {
                Arrays.fill(again, '\0');
            }
            if (!same) {
                Arrays.fill(first, '\0');
                throw new StartupException("the two passphrases differ; nothing was written");
            }
        }
        return first;
    }
}
