package org.egovpki.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.egovpki.core.DomainException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's error handler: every answer Jetty produces itself — a URI it refuses as ambiguous
 * or badly encoded, a header or URI too large, an exception a handler did not catch — is the
 * same JSON {@code {code, message, field}} as the API's own errors, never Jetty's HTML page.
 *
 * <p>The message is ours, chosen by status: Jetty's reason text and the exception are never sent
 * (they may quote the request or internals). A 5xx gets an incident id, also logged with the
 * exception, so an operator can find the cause.
 */
public final class JsonErrorHandler extends ErrorHandler {

    private static final Logger LOG = LoggerFactory.getLogger(JsonErrorHandler.class);

    private final ObjectMapper json;

    public JsonErrorHandler(ObjectMapper json) {
        this.json = json;
        setShowStacks(false);
        setShowCauses(false);
        setShowMessageInTitle(false);
    }

    /** Every method gets the JSON body (Jetty's default sends an empty one to PUT, DELETE and others). */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int status, String message, Throwable cause,
                                    Callback callback) {
        byte[] body = body(status, cause, Request.getPathInContext(request));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, HttpResponses.JSON);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** Errors found while parsing the request (header or URI too large, bad request line): no Request exists. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, HttpResponses.JSON));
        return ByteBuffer.wrap(body(status, null, null));
    }

    private byte[] body(int status, Throwable cause, String path) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code(status));
        String incident = null;
        // 505 is the client's request line, not a fault of ours: no incident, nothing to log.
        if (status >= 500 && status != 505) {
            incident = DomainException.newIncident();
            LOG.error("HTTP {} on {} (incident {})", status, path == null ? "(unparsed request)" : path, incident,
                    cause);
        }
        body.put("message", message(status, incident));
        body.put("field", null);
        if (incident != null) {
            body.put("incident", incident);
        }
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON error", e);
        }
    }

    static String code(int status) {
        return switch (status) {
            case 400, 414, 431 -> "BAD_REQUEST";
            case 401 -> "UNAUTHORIZED";
            case 403 -> "FORBIDDEN";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 413 -> "BAD_REQUEST";
            case 415 -> "UNSUPPORTED_MEDIA_TYPE";
            case 503 -> "UNAVAILABLE";
            case 505 -> "BAD_REQUEST";
            default -> status >= 500 ? "INTERNAL" : "BAD_REQUEST";
        };
    }

    private static String message(int status, String incident) {
        return switch (status) {
            case 400 -> "the request is not valid HTTP, or its URI is badly encoded or ambiguous (such as an encoded"
                    + " '.' or '..' segment, or a malformed %-escape); send a plain, well-formed URI";
            case 404 -> "no resource at this path; the API is described at " + ApiHandler.PREFIX + "/openapi.yaml";
            case 405 -> "this method is not supported here";
            case 413 -> "the request body is too large";
            case 414 -> "the request URI is too long";
            case 431 -> "the request headers are too large";
            case 505 -> "unsupported HTTP version: this server speaks HTTP/1.1 and HTTP/1.0";
            default -> status >= 500 ? "internal error (incident " + incident + "; the server log has the details)"
                    : "the request was refused (HTTP " + status + " " + HttpStatus.getMessage(status) + ")";
        };
    }
}
