package org.egovpki.server.audit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Streams the complete lines of one trail file, one at a time, without holding the file in
 * memory. A last line without its newline is a record still being written (or torn by a crash)
 * and is not a line yet: it is left out.
 */
final class AuditLines {

    /** Sees each line's text (without the newline); {@code false} stops the reading. */
    @FunctionalInterface
    interface LineVisitor {
        boolean line(String text) throws IOException;
    }

    private AuditLines() {
    }

    /** Reads {@code file} line by line until the visitor stops or the file ends. */
    static void read(Path file, LineVisitor visitor) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream(512);
            int b;
            while ((b = in.read()) >= 0) {
                if (b != '\n') {
                    line.write(b);
                    continue;
                }
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                if (!visitor.line(text)) {
                    return;
                }
            }
        }
    }
}
