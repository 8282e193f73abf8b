package org.egovpki.server.http;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.egovpki.core.ocsp.OcspResponder;

/**
 * The OCSP responder over HTTP (RFC 6960 appendix A): {@code POST /ocsp} with an
 * {@code application/ocsp-request} body, or {@code GET /ocsp/<base64 request>}. Every answer is
 * an {@code application/ocsp-response}; bad input gets an OCSP error status, never an HTTP 500.
 */
public final class OcspHandler extends Handler.Abstract {

    static final String PATH = "/ocsp";
    /** Requests are small; anything larger is refused as malformed without reading it all. */
    static final int MAX_REQUEST = 16 * 1024;

    private final OcspResponder responder;

    public OcspHandler(OcspResponder responder) {
        this.responder = responder;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (!path.equals(PATH) && !path.startsWith(PATH + "/")) {
            return false;
        }
        byte[] ocspRequest;
        if (HttpMethod.POST.is(request.getMethod()) && path.equals(PATH)) {
            ocspRequest = body(request);
        } else if (HttpMethod.GET.is(request.getMethod()) && path.length() > PATH.length() + 1) {
            ocspRequest = fromUrl(path.substring(PATH.length() + 1));
        } else {
            ocspRequest = new byte[0];
        }
        byte[] answer = responder.respond(ocspRequest);
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/ocsp-response");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.length);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.write(true, ByteBuffer.wrap(answer), callback);
        return true;
    }

    private static byte[] body(Request request) {
        try {
            byte[] body = RequestBodies.read(request, MAX_REQUEST);
            return body == null ? new byte[0] : body;
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static byte[] fromUrl(String encoded) {
        try {
            return Base64.getDecoder().decode(URLDecoder.decode(encoded, StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }
}
