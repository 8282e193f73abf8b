package org.egovpki.routes;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import org.egovpki.core.sync.SyncCredentials;
import org.egovpki.core.sync.SyncMessage;
import org.egovpki.core.sync.SyncTarget;

/**
 * The JSON binding of docs/sync.md over the JDK's {@link HttpClient}: POSTs the message's exact
 * bytes with the signature in {@code Egov-Sync-Signature} (the SOAP binding is {@link CxfSoapTransport}).
 *
 * <p>Why not camel-http: a target authenticated by a TLS client certificate needs its own
 * {@link SSLContext} built from the PKCS#12 in {@link SyncCredentials}, which an administrator may
 * replace at any time; camel-http takes its TLS settings per endpoint from a registry bean, so every
 * target and every change of its key would need a new registry entry and endpoint. Here each such
 * target has a client built from its current PKCS#12 (rebuilt when the PKCS#12 changes); the
 * others share one client.
 */
public final class HttpSyncTransport implements SyncTransport {

    public static final String SIGNATURE_HEADER = "Egov-Sync-Signature";
    public static final String TARGET_HEADER = "Egov-Sync-Target";
    public static final String SEQUENCE_HEADER = "Egov-Sync-Sequence";
    public static final String ATTEMPT_HEADER = "Egov-Sync-Attempt";
    public static final String JSON_CONTENT_TYPE = "application/cloudevents+json; charset=utf-8";

    private final TargetCredentials credentials;
    private final Duration timeout;
    private final Clock clock;
    private final HttpClient shared;
    private final Map<String, ClientFor> clientCertificateClients = new ConcurrentHashMap<>();

    /** A client built for one target's PKCS#12; {@code fingerprint} tells when the PKCS#12 changed. */
    private record ClientFor(int fingerprint, HttpClient client) {
    }

    public HttpSyncTransport(SyncCredentials credentials, Duration timeout, Clock clock) {
        this.credentials = new TargetCredentials(credentials);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.shared = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public Outcome send(SyncTarget target, SyncMessage message, int attempt) {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.url()).timeout(timeout)
                .header(TARGET_HEADER, target.id())
                .header(SEQUENCE_HEADER, Long.toString(message.sequence()))
                .header(ATTEMPT_HEADER, Integer.toString(attempt));
        HttpClient client;
        try {
            client = authenticate(target, request);
        } catch (IllegalStateException e) {
            return Outcome.failed(0, e.getMessage(), null);
        }
        request.header("Content-Type", JSON_CONTENT_TYPE)
                .header(SIGNATURE_HEADER, Base64.getEncoder().encodeToString(message.signature()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(message.body()));
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            return Outcome.failed(0, "no answer within " + timeout.toSeconds() + " s", null);
        } catch (ConnectException e) {
            return Outcome.failed(0, "connection to " + target.url().getHost() + ":" + port(target) + " failed", null);
        } catch (IOException e) {
            return Outcome.failed(0, "I/O error: " + e.getClass().getSimpleName(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.failed(0, "interrupted while sending", null);
        }
        return outcome(response);
    }

    private Outcome outcome(HttpResponse<String> response) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return Outcome.delivered(status);
        }
        return Outcome.failed(status, "HTTP " + status, retryAfter(status, response.headers().firstValue("Retry-After")
                .orElse(null), clock));
    }

    /** The {@code Retry-After} of a 429 or 503: delay-seconds or an HTTP-date (RFC 9110 §10.2.3); else {@code null}. */
    static Duration retryAfter(int status, String value, Clock clock) {
        if ((status != 429 && status != 503) || value == null) {
            return null;
        }
        String v = value.trim();
        if (v.matches("[0-9]{1,9}")) {
            return Duration.ofSeconds(Long.parseLong(v));
        }
        try {
            Duration d = Duration.between(clock.instant(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            return d.isNegative() ? Duration.ZERO : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Adds the target's authentication to {@code request}; the client to send it with. */
    private HttpClient authenticate(SyncTarget target, HttpRequest.Builder request) {
        String authorization = credentials.authorization(target);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        TargetCredentials.ClientKey key = credentials.clientKey(target);
        if (key == null) {
            return shared;
        }
        ClientFor cached = clientCertificateClients.get(target.id());
        if (cached == null || cached.fingerprint() != key.fingerprint()) {
            cached = new ClientFor(key.fingerprint(), HttpClient.newBuilder().connectTimeout(timeout)
                    .followRedirects(HttpClient.Redirect.NEVER).sslContext(sslContext(target.id(), key)).build());
            clientCertificateClients.put(target.id(), cached);
        }
        return cached.client();
    }

    /** A TLS context presenting the target's client certificate; the JDK's trust store checks the target. */
    private static SSLContext sslContext(String targetId, TargetCredentials.ClientKey key) {
        try {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(key.keyManagers(), null, null);
            return tls;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS context for target " + targetId + ": " + e.getMessage());
        }
    }

    static int port(SyncTarget target) {
        int port = target.url().getPort();
        return port > 0 ? port : "https".equalsIgnoreCase(target.url().getScheme()) ? 443 : 80;
    }
}
