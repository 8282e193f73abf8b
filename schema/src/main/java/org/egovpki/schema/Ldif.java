package org.egovpki.schema;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Writes LDIF (RFC 2849) lines: values that are not a SAFE-STRING are base64-encoded
 * ({@code name:: ...}), and every line longer than {@value #LINE_LENGTH} characters is folded
 * (continuation lines start with one space, which readers remove).
 */
final class Ldif {

    /** Longest physical line written, the conventional LDIF width. */
    static final int LINE_LENGTH = 76;

    private Ldif() {
    }

    /** Appends {@code name: value} (or {@code name:: base64}) folded, with a trailing newline. */
    static void appendAttribute(StringBuilder out, String name, String value) {
        String line = isSafeString(value)
                ? name + ": " + value
                : name + ":: " + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
        appendFolded(out, line);
    }

    /** Appends a line as is (a separator such as {@code -}, or {@code changetype: modify}), with a newline. */
    static void appendLine(StringBuilder out, String line) {
        appendFolded(out, line);
    }

    /** RFC 2849 SAFE-STRING, and not ending with a space (which readers may strip). */
    static boolean isSafeString(String value) {
        if (value.isEmpty()) {
            return true;
        }
        char first = value.charAt(0);
        if (first == ' ' || first == ':' || first == '<') {
            return false;
        }
        if (value.charAt(value.length() - 1) == ' ') {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0 || c == '\n' || c == '\r' || c > 127) {
                return false;
            }
        }
        return true;
    }

    private static void appendFolded(StringBuilder out, String line) {
        if (line.length() <= LINE_LENGTH) {
            out.append(line).append('\n');
            return;
        }
        out.append(line, 0, LINE_LENGTH).append('\n');
        for (int start = LINE_LENGTH; start < line.length(); start += LINE_LENGTH - 1) {
            out.append(' ').append(line, start, Math.min(line.length(), start + LINE_LENGTH - 1)).append('\n');
        }
    }
}
