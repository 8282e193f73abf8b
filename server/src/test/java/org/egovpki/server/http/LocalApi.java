package org.egovpki.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.egovpki.core.enroll.OperatorDirectory;
import org.eclipse.jetty.http.HttpTester;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Server;

/**
 * The operator API in a Jetty with only a {@link LocalConnector}: no socket, each call one raw HTTP/1.1
 * request. For the HTTP edge's tests, which give it their resources and operators.
 */
final class LocalApi implements AutoCloseable {

    private final Server http = new Server();
    private final LocalConnector connector = new LocalConnector(http);

    LocalApi(ApiResources resources, OperatorDirectory operators, ObjectMapper json) throws Exception {
        http.addConnector(connector);
        http.setHandler(new ApiHandler(resources, operators, json));
        http.setErrorHandler(new JsonErrorHandler(json));
        http.start();
    }

    /** The {@code Authorization} value of a Basic login. */
    static String basic(String uid, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((uid + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Headers to send: pairs of name and value, a {@code null} value left out. */
    static Map<String, String> headers(String... namesAndValues) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                headers.put(namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return headers;
    }

    /**
     * One request to host {@code test}; a non-null {@code body} is sent as JSON unless {@code headers} name
     * another {@code Content-Type} (an empty one sends none).
     */
    HttpTester.Response call(String method, String path, Map<String, String> headers, String body) throws Exception {
        return HttpTester.parseResponse(raw(method, path, headers, body));
    }

    /** As {@link #call}, the answer unparsed (a HEAD answer has a Content-Length but no body). */
    String raw(String method, String path, Map<String, String> headers, String body) throws Exception {
        StringBuilder request = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: test\r\n");
        headers.forEach((name, value) -> {
            if (!value.isEmpty()) {
                request.append(name).append(": ").append(value).append("\r\n");
            }
        });
        if (body != null) {
            if (headers.keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
                request.append("Content-Type: application/json\r\n");
            }
            request.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        if (body != null) {
            request.append(body);
        }
        return connector.getResponse(request.toString());
    }

    /** A request line and headers sent as they are, for what a client library would not send. */
    String raw(String request) throws Exception {
        return connector.getResponse(request);
    }

    @Override
    public void close() throws Exception {
        http.stop();
    }
}
