package org.egovpki.server.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/** Reads a request body with a hard size limit, so no client can make the server buffer more. */
final class RequestBodies {

    private RequestBodies() {
    }

    /** @return the body, or {@code null} when it is larger than {@code max} bytes */
    static byte[] read(Request request, int max) throws IOException {
        if (request.getLength() > max) {
            return null;
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                if (out.size() > max) {
                    return null;
                }
            }
            return out.toByteArray();
        }
    }

    /**
     * Reads and drops what is left of the body, at most {@code max} more bytes. A server that
     * answers without reading a body the client is still sending closes the connection with data
     * unread, which resets it, and the client then loses the answer.
     */
    static void discard(Request request, long max) throws IOException {
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] buffer = new byte[8192];
            long left = max;
            int n;
            while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
                left -= n;
            }
        }
    }
}
