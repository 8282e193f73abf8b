package org.egovpki.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.egovpki.core.DomainException;
import org.egovpki.core.operator.Operator;

/**
 * One call to the operator API as a resource sees it: the authenticated operator (none on an open
 * route), the path parameters, the body read through the one {@link JsonCodec}, the query, and the
 * ways to answer. The body is read only when a resource asks for it, so a call refused earlier
 * never reads it.
 */
final class ApiCall {

    /** The largest request body the API reads. */
    static final int MAX_BODY = 4 * 1024 * 1024;

    private final Request request;
    private final Response response;
    private final Callback callback;
    private final Operator operator;
    private final Map<String, String> params;
    private final JsonCodec codec;
    private final HttpResponses responses;
    private final boolean head;

    /** @param head a HEAD call: every answer is sent with its headers and without its body */
    ApiCall(Request request, Response response, Callback callback, Operator operator, Map<String, String> params,
            JsonCodec codec, HttpResponses responses, boolean head) {
        this.head = head;
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.operator = operator;
        this.params = Map.copyOf(params);
        this.codec = codec;
        this.responses = responses;
    }

    /** The operator who made the call; only routes that need a login are given one. */
    Operator operator() {
        if (operator == null) {
            throw new IllegalStateException("an open route asked for the operator");
        }
        return operator;
    }

    /** A path parameter, already matched against its pattern by the route table. */
    String param(String name) {
        String value = params.get(name);
        if (value == null) {
            throw new IllegalStateException("the route has no path parameter {" + name + "}");
        }
        return value;
    }

    /** A query parameter, {@code null} when absent. */
    String query(String name) {
        return queryFields().getValue(name);
    }

    /** The query's fields; a query that is not UTF-8 percent-encoding is refused ({@link QueryStrings#decode}). */
    Fields queryFields() {
        return QueryStrings.decode(request);
    }

    /** A request header, {@code null} when absent. */
    String requestHeader(HttpHeader header) {
        return request.getHeaders().get(header);
    }

    /** The client's address, as the audit of a subscriber's own revocation records it. */
    String remoteAddress() {
        return Request.getRemoteAddr(request);
    }

    /**
     * The body as a JSON object (an empty body is an empty object); see {@link JsonCodec#readObject}. A
     * body not sent as {@code application/json} is refused 415 ({@link BrowserRequests#requireJson}).
     */
    JsonNode body() {
        byte[] body = rawBody();
        BrowserRequests.requireJson(request, body);
        return codec.readObject(body);
    }

    /** The body's bytes, at most {@link #MAX_BODY}. */
    byte[] rawBody() {
        try {
            byte[] body = RequestBodies.read(request, MAX_BODY);
            if (body == null) {
                throw DomainException.badRequest(null, "the request body is larger than " + MAX_BODY + " bytes");
            }
            return body;
        } catch (IOException e) {
            throw DomainException.badRequest(null, "the request body could not be read: " + e.getMessage());
        }
    }

    /** Answers with {@code body} as JSON. */
    void json(int status, Object body) {
        responses.json(response, callback, status, body, head);
    }

    /** Answers 201 with {@code Location: location} and {@code body} as JSON. */
    void created(String location, Object body) {
        response.getHeaders().put(HttpHeader.LOCATION, location);
        responses.json(response, callback, 201, body, head);
    }

    /** Answers with raw bytes of a content type. */
    void bytes(int status, String contentType, byte[] body) {
        responses.bytes(response, callback, status, contentType, body, head);
    }

    /** Sets a response header; call before answering. */
    void header(HttpHeader header, String value) {
        response.getHeaders().put(header, value);
    }
}
