package org.egovpki.server.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /metrics}: Prometheus text format 0.0.4. Answered without a login to clients on the
 * loopback interface only (a Prometheus agent or a reverse proxy on the same host); any other
 * client gets 403 — the numbers hold no personal data, but they tell who the CA talks to and how
 * busy it is. Other paths pass on to the next handler.
 */
public final class MetricsHandler extends Handler.Abstract {

    static final String PATH = "/metrics";
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Supplier<String> metrics;
    private final HttpResponses responses;

    /** @param metrics the exposition text, rendered at each scrape */
    public MetricsHandler(Supplier<String> metrics, com.fasterxml.jackson.databind.ObjectMapper json) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.responses = new HttpResponses(json);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!PATH.equals(Request.getPathInContext(request))) {
            return false;
        }
        boolean head = HttpMethod.HEAD.is(request.getMethod());
        if (!head && !HttpMethod.GET.is(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            responses.error(response, callback, 405, "METHOD_NOT_ALLOWED", request.getMethod()
                    + " is not supported on /metrics; use GET", null);
        } else if (!loopback(Request.getRemoteAddr(request))) {
            responses.error(response, callback, 403, "FORBIDDEN",
                    "/metrics answers clients on this host only; scrape it from a local agent or proxy", null);
        } else {
            responses.bytes(response, callback, 200, CONTENT_TYPE, HttpResponses.utf8(metrics.get()), head);
        }
        return true;
    }

    static boolean loopback(String address) {
        try {
            // A literal address from the socket: no name lookup happens.
            return address != null
                    && InetAddress.getByName(address.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
