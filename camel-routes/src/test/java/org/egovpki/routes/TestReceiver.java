package org.egovpki.routes;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A local HTTP receiver on port 0 for the delivery tests: records every request, answers as told. */
final class TestReceiver implements AutoCloseable {

    /** One request as it arrived. */
    record Received(String path, Map<String, List<String>> headers, byte[] body, int answered) {

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        long sequence() {
            return Long.parseLong(header("Egov-Sync-Sequence"));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** An answer: status, extra headers, body. */
    record Answer(int status, Map<String, String> headers, String body) {
        static Answer ok() {
            return new Answer(200, Map.of(), "");
        }

        static Answer status(int status) {
            return new Answer(status, Map.of(), "");
        }
    }

    private final HttpServer server;
    final List<Received> requests = new CopyOnWriteArrayList<>();
    volatile Function<Received, Answer> answers = r -> Answer.ok();

    TestReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** Sequences of the requests answered 2xx, in arrival order. */
    List<Long> deliveredSequences() {
        return requests.stream().filter(r -> r.answered() / 100 == 2).map(Received::sequence).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Received probe = new Received(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()), body, 0);
        Answer answer = answers.apply(probe);
        requests.add(new Received(probe.path(), probe.headers(), body, answer.status()));
        answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
        try (OutputStream o = exchange.getResponseBody()) {
            o.write(out);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
