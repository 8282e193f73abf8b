package org.egovpki.routes;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.egovpki.core.sync.SyncBinding;
import org.egovpki.core.sync.SyncCredentials;
import org.egovpki.core.sync.SyncMessage;
import org.egovpki.core.sync.SyncTarget;
import org.egovpki.core.sync.SyncTarget.Authentication.Kind;

/**
 * The two bindings of docs/sync.md over the JDK's {@link HttpClient}: the JSON binding POSTs the
 * message's exact bytes with the signature in {@code Egov-Sync-Signature}; the SOAP binding POSTs
 * the SOAP 1.1 {@code deliver} envelope of {@code egov-sync.wsdl} carrying the same bytes and
 * signature in base64.
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
    public static final String SOAP_NAMESPACE = "urn:egov-pki:sync:1";
    public static final String SOAP_ACTION = "urn:egov-pki:sync:1#deliver";

    private static final Pattern ACCEPTED = Pattern.compile("<(?:[A-Za-z_][\\w.-]*:)?accepted>\\s*true\\s*</");

    private final SyncCredentials credentials;
    private final Duration timeout;
    private final Clock clock;
    private final HttpClient shared;
    private final Map<String, ClientFor> clientCertificateClients = new ConcurrentHashMap<>();

    /** A client built for one target's PKCS#12; {@code fingerprint} tells when the PKCS#12 changed. */
    private record ClientFor(int fingerprint, HttpClient client) {
    }

    public HttpSyncTransport(SyncCredentials credentials, Duration timeout, Clock clock) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
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
        if (target.binding() == SyncBinding.SOAP) {
            request.header("Content-Type", "text/xml; charset=utf-8")
                    .header("SOAPAction", "\"" + SOAP_ACTION + "\"")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(envelope(message)));
        } else {
            request.header("Content-Type", JSON_CONTENT_TYPE)
                    .header(SIGNATURE_HEADER, Base64.getEncoder().encodeToString(message.signature()))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(message.body()));
        }
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
        return outcome(target.binding(), response);
    }

    /** The SOAP 1.1 envelope of {@code egov-sync.wsdl}'s {@code deliver} operation. */
    public static byte[] envelope(SyncMessage message) {
        Base64.Encoder b64 = Base64.getEncoder();
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>"
                + "<sync:deliver xmlns:sync=\"" + SOAP_NAMESPACE + "\">"
                + "<sync:event>" + b64.encodeToString(message.body()) + "</sync:event>"
                + "<sync:signature>" + b64.encodeToString(message.signature()) + "</sync:signature>"
                + "</sync:deliver></soap:Body></soap:Envelope>").getBytes(StandardCharsets.UTF_8);
    }

    private Outcome outcome(SyncBinding binding, HttpResponse<String> response) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            if (binding == SyncBinding.SOAP && (status != 200 || !ACCEPTED.matcher(response.body()).find())) {
                return Outcome.failed(status, "SOAP answer " + status + " without accepted=true", null);
            }
            return Outcome.delivered(status);
        }
        Duration retryAfter = status == 429 || status == 503
                ? response.headers().firstValue("Retry-After").flatMap(this::retryAfter).orElse(null) : null;
        String fault = binding == SyncBinding.SOAP && status == 500 ? " (SOAP fault)" : "";
        return Outcome.failed(status, "HTTP " + status + fault, retryAfter);
    }

    /** {@code Retry-After}: delay-seconds or an HTTP-date (RFC 9110 §10.2.3); empty if neither. */
    Optional<Duration> retryAfter(String value) {
        String v = value.trim();
        if (v.matches("[0-9]{1,9}")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(clock.instant(), at);
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Adds the target's authentication to {@code request}; the client to send it with. */
    private HttpClient authenticate(SyncTarget target, HttpRequest.Builder request) {
        Kind kind = target.authentication().kind();
        if (kind == Kind.NONE) {
            return shared;
        }
        SyncCredentials.Secret secret = credentials.load(target.id()).orElseThrow(() -> new IllegalStateException(
                "target " + target.id() + " uses " + kind + " authentication but has no secret stored"));
        if (kind == Kind.BASIC) {
            if (secret.password() == null) {
                throw new IllegalStateException("target " + target.id() + " uses BASIC authentication but has no password");
            }
            String pair = target.authentication().username() + ":" + new String(secret.password());
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
            return shared;
        }
        if (secret.pkcs12() == null) {
            throw new IllegalStateException("target " + target.id() + " uses a TLS client certificate but has no PKCS#12");
        }
        int fingerprint = Arrays.hashCode(secret.pkcs12()) * 31 + Arrays.hashCode(secret.password());
        ClientFor cached = clientCertificateClients.get(target.id());
        if (cached == null || cached.fingerprint() != fingerprint) {
            cached = new ClientFor(fingerprint, HttpClient.newBuilder().connectTimeout(timeout)
                    .followRedirects(HttpClient.Redirect.NEVER).sslContext(sslContext(target.id(), secret)).build());
            clientCertificateClients.put(target.id(), cached);
        }
        return cached.client();
    }

    /** A TLS context presenting the PKCS#12's key and certificate; the JDK's trust store checks the target. */
    private static SSLContext sslContext(String targetId, SyncCredentials.Secret secret) {
        try {
            char[] password = secret.password() == null ? new char[0] : secret.password();
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(new ByteArrayInputStream(secret.pkcs12()), password);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(kmf.getKeyManagers(), null, null);
            return tls;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the TLS client certificate of target " + targetId
                    + " cannot be loaded (" + e.getClass().getSimpleName() + "); store a valid PKCS#12 and its password");
        }
    }

    private static int port(SyncTarget target) {
        int port = target.url().getPort();
        return port > 0 ? port : "https".equalsIgnoreCase(target.url().getScheme()) ? 443 : 80;
    }
}
