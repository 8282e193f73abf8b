package org.egovpki.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.egovpki.core.DomainException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes bodies and the uniform JSON error shape {@code {code, message, field}} (plus
 * {@code incident} on a 5xx): the one error mapping of the HTTP edge, {@link DomainException} kind
 * to status and body, shared by the API and the public handler.
 *
 * <p>A 5xx never carries the exception's message: {@link DomainException#publicMessage()} gives
 * clients only the kind and an incident id; the message and stack trace go to the log under that
 * id. So no LDAP dump, stack trace or stored value can reach a client through an error.
 */
final class HttpResponses {

    private static final Logger LOG = LoggerFactory.getLogger(HttpResponses.class);

    static final String JSON = "application/json; charset=utf-8";

    private final ObjectMapper json;

    HttpResponses(ObjectMapper json) {
        this.json = json;
    }

    void bytes(Response response, Callback callback, int status, String contentType, byte[] body, boolean head) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), callback);
    }

    void json(Response response, Callback callback, int status, Object body, boolean head) {
        try {
            bytes(response, callback, status, JSON, json.writeValueAsBytes(body), head);
        } catch (JsonProcessingException e) {
            callback.failed(e);
        }
    }

    void error(Response response, Callback callback, int status, String code, String message, String field) {
        json(response, callback, status, body(code, message, field, null), false);
    }

    /** A 500 for an exception that is not a domain error: logged under a new incident id, never shown. */
    void internalError(Response response, Callback callback, String what, Throwable failure) {
        String incident = DomainException.newIncident();
        LOG.error("{} failed (incident {})", what, incident, failure);
        json(response, callback, 500, body("INTERNAL", "internal error (incident " + incident
                + "; the server log has the details)", null, incident), false);
    }

    /** The JSON error of a domain exception: see the class description for server faults. */
    static Map<String, Object> body(DomainException e) {
        return body(e.kind().name(), e.publicMessage(), e.isServerFault() ? null : e.field(),
                e.isServerFault() ? e.incident() : null);
    }

    private static Map<String, Object> body(String code, String message, String field, String incident) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        body.put("field", field);
        if (incident != null) {
            body.put("incident", incident);
        }
        return body;
    }

    /** Answers a domain error: its kind's status and {@link #body(DomainException)}; a server fault is logged whole. */
    void error(Response response, Callback callback, DomainException e) {
        if (e.isServerFault()) {
            LOG.error("{} (incident {})", e.getMessage(), e.incident(), e);
        }
        json(response, callback, status(e.kind()), body(e), false);
    }

    /** The one mapping of a domain error's kind to an HTTP status. */
    static int status(DomainException.Kind kind) {
        return switch (kind) {
            case BAD_REQUEST -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case FORBIDDEN -> 403;
            case RATE_LIMITED -> 429;
            case UNAVAILABLE -> 503;
            case INTERNAL -> 500;
        };
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
