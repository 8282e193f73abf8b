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

/** Writes bodies and the uniform JSON error shape {@code {code, message, field}}. */
final class HttpResponses {

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
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        body.put("field", field);
        json(response, callback, status, body, false);
    }

    void error(Response response, Callback callback, DomainException e) {
        int status = switch (e.kind()) {
            case BAD_REQUEST -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case FORBIDDEN -> 403;
            case RATE_LIMITED -> 429;
            case UNAVAILABLE -> 503;
            case INTERNAL -> 500;
        };
        error(response, callback, status, e.kind().name(), e.getMessage(), e.field());
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
