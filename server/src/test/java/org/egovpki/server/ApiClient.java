package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The REST API of a running server as the ITs call it: operator Basic auth, JSON and bytes. */
final class ApiClient {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String base;
    private final String password;

    ApiClient(int httpPort, String password) {
        this.base = "http://127.0.0.1:" + httpPort;
        this.password = password;
    }

    HttpResponse<byte[]> post(String operator, String path, String contentType, byte[] body) throws Exception {
        return HTTP.send(request(operator, path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> postJson(String operator, String path, Object json) throws Exception {
        return post(operator, path, "application/json", JSON.writeValueAsBytes(json));
    }

    /** POSTs JSON and returns the JSON answer, which must have {@code status}. */
    JsonNode postJson(String operator, String path, Object json, int status) throws Exception {
        HttpResponse<byte[]> response = postJson(operator, path, json);
        assertThat(response.statusCode()).as(path + ": " + text(response)).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    /** Any method, with a JSON body or none ({@code json == null}). */
    HttpResponse<byte[]> exchange(String method, String operator, String path, Object json) throws Exception {
        HttpRequest.Builder request = request(operator, path);
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(json)));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> get(String operator, String path) throws Exception {
        return HTTP.send(request(operator, path).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** GETs {@code path}, which must answer 200. */
    byte[] bytes(String operator, String path) throws Exception {
        HttpResponse<byte[]> response = get(operator, path);
        assertThat(response.statusCode()).as(path + ": " + text(response)).isEqualTo(200);
        return response.body();
    }

    JsonNode json(String operator, String path) throws Exception {
        return JSON.readTree(bytes(operator, path));
    }

    static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private HttpRequest.Builder request(String operator, String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path));
        if (operator != null) {
            builder.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (operator + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return builder;
    }
}
