package org.egovpki.server.http;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.function.ObjLongConsumer;
import java.util.function.UnaryOperator;
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
    /** Requests are small; anything larger is refused as malformed. */
    static final int MAX_REQUEST = 16 * 1024;
    /**
     * How much of a too-large body is read and dropped so the client still gets its
     * malformedRequest; a body larger still has its connection closed unanswered.
     */
    static final int MAX_DISCARDED = 1024 * 1024;

    private final UnaryOperator<byte[]> responder;
    private final ObjLongConsumer<byte[]> answered;

    public OcspHandler(OcspResponder responder) {
        this(responder, (answer, nanos) -> { });
    }

    /** @param answered told of every answer and how many nanoseconds the responder took (the metrics) */
    public OcspHandler(OcspResponder responder, ObjLongConsumer<byte[]> answered) {
        this(responder::respond, answered);
    }

    /**
     * Over any responder that turns a DER OCSPRequest into a DER OCSPResponse and never throws
     * (the locked server's {@link org.egovpki.core.ocsp.LockedOcspResponder}).
     */
    public OcspHandler(UnaryOperator<byte[]> responder, ObjLongConsumer<byte[]> answered) {
        this.responder = Objects.requireNonNull(responder, "responder");
        this.answered = Objects.requireNonNull(answered, "answered");
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
            ocspRequest = fromUrl(request.getHttpURI().getPath());
        } else {
            ocspRequest = new byte[0];
        }
        long start = System.nanoTime();
        byte[] answer = responder.apply(ocspRequest);
        answered.accept(answer, System.nanoTime() - start);
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/ocsp-response");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.length);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.write(true, ByteBuffer.wrap(answer), callback);
        return true;
    }

    private static byte[] body(Request request) {
        try {
            byte[] body = RequestBodies.read(request, MAX_REQUEST, MAX_DISCARDED);
            return body == null ? new byte[0] : body;
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /**
     * The request of an RFC 6960 A.1 GET: the url-encoded base64 after {@code /ocsp/}, taken from
     * the raw path. Jetty's decoded path keeps an encoded '/' (%2F, as Java's own OCSP client
     * sends it) encoded but decodes the rest, and a form decoder would turn a literal '+' into a
     * space; so the raw path is percent-decoded here, '+' kept as '+'.
     */
    private static byte[] fromUrl(String rawPath) {
        String prefix = PATH + "/";
        if (rawPath == null || !rawPath.startsWith(prefix)) {
            return new byte[0];
        }
        try {
            String base64 = URLDecoder.decode(rawPath.substring(prefix.length()).replace("+", "%2B"),
                    StandardCharsets.US_ASCII);
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }
}
