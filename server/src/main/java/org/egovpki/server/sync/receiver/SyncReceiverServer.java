package org.egovpki.server.sync.receiver;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.Objects;
import java.util.function.DoubleSupplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.egovpki.core.sync.SyncSignatureVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference receiver an integrator runs to see and check what the CA sends
 * ({@code egov-pki sync-receiver}): {@code POST /sync} (JSON binding), {@code POST /soap} (SOAP
 * binding), {@code GET /received} (what it holds). With a fail rate it answers that share of
 * messages {@code 503 Retry-After: 0} at random before looking at them, to exercise the CA's retries.
 */
public final class SyncReceiverServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SyncReceiverServer.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Largest message read: a CRL event of about a million entries. */
    static final int MAX_BODY = 64 * 1024 * 1024;
    static final String SIGNATURE_HEADER = "Egov-Sync-Signature";
    static final String TARGET_HEADER = "Egov-Sync-Target";
    static final String SEQUENCE_HEADER = "Egov-Sync-Sequence";

    private final SyncReceiver receiver;
    private final Server jetty;
    private final double failRate;
    private final DoubleSupplier random;

    private SyncReceiverServer(SyncReceiver receiver, int port, double failRate, DoubleSupplier random) {
        this.receiver = receiver;
        this.failRate = failRate;
        this.random = random;
        this.jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setPort(port);
        jetty.addConnector(connector);
        jetty.setHandler(new ReceiverHandler());
    }

    /** The options of {@code egov-pki sync-receiver}. {@code target} may be null (the first event fixes it). */
    public record Options(int port, URI caUrl, double failRate, Path data, String target) {

        public Options {
            Objects.requireNonNull(caUrl, "caUrl");
            Objects.requireNonNull(data, "data");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("--port " + port + " is not a port; use 0 (any free port) to 65535");
            }
            if (!(failRate >= 0 && failRate < 1)) {
                throw new IllegalArgumentException("--fail-rate " + failRate + " is not allowed; use 0 (never) up to, not including, 1");
            }
        }
    }

    /** Fetches the CA certificates from {@code options.caUrl()}, opens the store and starts listening. */
    public static SyncReceiverServer start(Options options, Clock clock) {
        CaCertificates cas = HttpCaCertificates.fetch(options.caUrl());
        return start(cas, options, clock, Math::random);
    }

    static SyncReceiverServer start(CaCertificates cas, Options options, Clock clock, DoubleSupplier random) {
        SyncReceiver receiver = new SyncReceiver(cas, new SyncSignatureVerifier(clock), ReceivedEvents.open(options.data()),
                options.target());
        SyncReceiverServer server = new SyncReceiverServer(receiver, options.port(), options.failRate(), random);
        try {
            server.jetty.start();
        } catch (Exception e) {
            receiver.close();
            throw new IllegalStateException("the sync receiver cannot listen on port " + options.port() + ": "
                    + e.getMessage(), e);
        }
        return server;
    }

    /** The port it listens on (the one chosen when 0 was asked for). */
    public int port() {
        return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        jetty.join();
    }

    @Override
    public void close() {
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.warn("stopping the sync receiver: {}", e.getMessage());
        }
        receiver.close();
    }

    private final class ReceiverHandler extends Handler.Abstract {

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String path = Request.getPathInContext(request);
            String method = request.getMethod();
            if (path.equals("/received") && method.equals("GET")) {
                write(response, callback, 200, "application/json; charset=utf-8",
                        MAPPER.writeValueAsBytes(receiver.summary()));
            } else if ((path.equals("/sync") || path.equals("/soap")) && method.equals("POST")) {
                boolean soap = path.equals("/soap");
                if (failRate > 0 && random.getAsDouble() < failRate) {
                    response.getHeaders().put(HttpHeader.RETRY_AFTER, "0");
                    write(response, callback, 503, "text/plain; charset=utf-8", utf8("failing on purpose (--fail-rate)"));
                    return true;
                }
                byte[] message = read(request);
                if (message == null) {
                    write(response, callback, 413, "text/plain; charset=utf-8", utf8("larger than " + MAX_BODY + " bytes"));
                } else if (soap) {
                    soap(message, response, callback);
                } else {
                    json(message, request, response, callback);
                }
            } else {
                write(response, callback, 404, "text/plain; charset=utf-8",
                        utf8("no resource at " + method + " " + path + "; try POST /sync, POST /soap or GET /received"));
            }
            return true;
        }

        private void json(byte[] body, Request request, Response response, Callback callback) {
            String header = request.getHeaders().get(SIGNATURE_HEADER);
            byte[] signature;
            try {
                signature = header == null ? new byte[0] : Base64.getDecoder().decode(header.strip());
            } catch (IllegalArgumentException e) {
                signature = new byte[0];
            }
            SyncReceiver.Outcome outcome = receiver.receive(body, signature, request.getHeaders().get(TARGET_HEADER),
                    request.getHeaders().get(SEQUENCE_HEADER));
            if (outcome.status() == 503) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, "5");
            }
            write(response, callback, outcome.status(), "text/plain; charset=utf-8", utf8(outcome.message()));
        }

        private void soap(byte[] envelope, Response response, Callback callback) {
            SoapMessages.Delivery delivery;
            try {
                delivery = SoapMessages.parse(envelope);
            } catch (SoapMessages.MalformedEnvelopeException e) {
                write(response, callback, 500, SoapMessages.CONTENT_TYPE, SoapMessages.fault(true, e.getMessage()));
                return;
            }
            SyncReceiver.Outcome outcome = receiver.receive(delivery.body(), delivery.signature(), null, null);
            if (outcome.accepted()) {
                write(response, callback, 200, SoapMessages.CONTENT_TYPE, SoapMessages.accepted());
            } else if (outcome.status() == 503) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, "5");
                write(response, callback, 503, "text/plain; charset=utf-8", utf8(outcome.message()));
            } else {
                write(response, callback, 500, SoapMessages.CONTENT_TYPE, SoapMessages.fault(true, outcome.message()));
            }
        }
    }

    private static byte[] read(Request request) throws IOException {
        if (request.getLength() > MAX_BODY) {
            return null;
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            return bytes.length > MAX_BODY ? null : bytes;
        }
    }

    private static void write(Response response, Callback callback, int status, String contentType, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
