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
        return read(request, max, 0);
    }

    /**
     * As {@link #read(Request, int)}, but a body larger than {@code max} is read on and dropped,
     * up to {@code discard} bytes in all, before {@code null} is returned. A server that answers
     * while the client is still sending closes the connection with data unread, which resets it,
     * and the client then loses the answer; a body larger than {@code discard} still meets that.
     */
    static byte[] read(Request request, int max, long discard) throws IOException {
        long length = request.getLength();
        if (length > max && length > discard) {
            return null;
        }
        // One stream for reading and dropping: closing it before the end fails the request content.
        try (InputStream in = Content.Source.asInputStream(request)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total <= max) {
                    out.write(buffer, 0, n);
                } else if (total > discard) {
                    return null;
                }
            }
            return total <= max ? out.toByteArray() : null;
        }
    }
}
