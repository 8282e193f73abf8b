package org.egovpki.server.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A {@code multipart/mixed} body (RFC 2046 §5.1) of binary parts, each with its own content type:
 * how RFC 4387 returns several certificates or CRLs in one answer. The boundary is derived from the
 * content (a SHA-256 prefix), so the same answer is the same bytes, and is checked not to occur in
 * any part.
 */
record MultipartMixed(String boundary, byte[] bytes) {

    private static final byte[] CRLF = {'\r', '\n'};

    /** One part: its content type and its bytes (binary; HTTP needs no transfer encoding). */
    record Part(String contentType, byte[] body) {
    }

    String contentType() {
        return "multipart/mixed; boundary=" + boundary;
    }

    static MultipartMixed of(List<Part> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a multipart body needs at least one part");
        }
        String boundary = boundary(parts, 0);
        for (int attempt = 1; occursIn(boundary, parts); attempt++) {
            boundary = boundary(parts, attempt);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Part part : parts) {
            out.writeBytes(ascii("--" + boundary));
            out.writeBytes(CRLF);
            out.writeBytes(ascii("Content-Type: " + part.contentType()));
            out.writeBytes(CRLF);
            out.writeBytes(CRLF);
            out.writeBytes(part.body());
            out.writeBytes(CRLF);
        }
        out.writeBytes(ascii("--" + boundary + "--"));
        out.writeBytes(CRLF);
        return new MultipartMixed(boundary, out.toByteArray());
    }

    private static String boundary(List<Part> parts, int attempt) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update((byte) attempt);
            parts.forEach(p -> sha256.update(p.body()));
            return "egov-pki-" + HexFormat.of().formatHex(sha256.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static boolean occursIn(String boundary, List<Part> parts) {
        byte[] needle = ascii("--" + boundary);
        return parts.stream().anyMatch(p -> indexOf(p.body(), needle) >= 0);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
