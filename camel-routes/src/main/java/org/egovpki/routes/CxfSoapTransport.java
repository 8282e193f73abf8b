package org.egovpki.routes;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.cxf.jaxws.CxfConfigurer;
import org.apache.cxf.configuration.jsse.TLSClientParameters;
import org.apache.cxf.endpoint.Client;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.frontend.AbstractWSDLBasedEndpointFactory;
import org.apache.cxf.transport.http.HTTPConduit;
import org.apache.cxf.transport.http.HTTPException;
import org.apache.cxf.transports.http.configuration.HTTPClientPolicy;
import org.egovpki.core.sync.SyncMessage;
import org.egovpki.core.sync.SyncTarget;

/**
 * The SOAP 1.1 binding of docs/sync.md through camel-cxf-soap in RAW mode: POSTs the
 * {@code deliver} envelope of {@code egov-sync.wsdl} carrying the message's exact bytes and its
 * signature in base64, with the {@code Egov-Sync-*} headers and the target's authentication.
 * 200 with {@code accepted} true is delivered; a SOAP Fault (500), a 200 without it or any other
 * status is a failed attempt. {@code Retry-After} is honoured on a 429 or 503 that CXF hands back
 * as a response; CXF turns some such answers into an {@link HTTPException} without headers, and
 * then the backoff applies.
 *
 * <p>Each target has its own CXF endpoint ({@code cxf://<url>?dataFormat=RAW}), configured by a
 * {@link CxfConfigurer} bound in the registry under the target's id and the fingerprint of its
 * TLS client key, so a replaced PKCS#12 gets a new endpoint; the configurer sets the timeouts and
 * the client key.
 */
public final class CxfSoapTransport implements SyncTransport {

    public static final String NAMESPACE = "urn:egov-pki:sync:1";
    public static final String SOAP_ACTION = "urn:egov-pki:sync:1#deliver";

    private static final Pattern ACCEPTED = Pattern.compile("<(?:[A-Za-z_][\\w.-]*:)?accepted>\\s*true\\s*</");

    private final CamelContext camel;
    private final ProducerTemplate producer;
    private final TargetCredentials credentials;
    private final Duration timeout;
    private final Clock clock;

    public CxfSoapTransport(CamelContext camel, org.egovpki.core.sync.SyncCredentials credentials, Duration timeout,
                            Clock clock) {
        this.camel = Objects.requireNonNull(camel, "camel");
        this.producer = camel.createProducerTemplate();
        this.credentials = new TargetCredentials(credentials);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Outcome send(SyncTarget target, SyncMessage message, int attempt) {
        String authorization;
        TargetCredentials.ClientKey key;
        try {
            authorization = credentials.authorization(target);
            key = credentials.clientKey(target);
        } catch (IllegalStateException e) {
            return Outcome.failed(0, e.getMessage(), null);
        }
        String configurer = "egovpkiSyncSoap-" + target.id() + (key == null ? "" : "-" + Integer.toHexString(key.fingerprint()));
        if (camel.getRegistry().lookupByName(configurer) == null) {
            camel.getRegistry().bind(configurer, new ClientSettings(timeout, key == null ? null : key.keyManagers()));
        }
        Exchange exchange = producer.send("cxf://" + target.url() + "?dataFormat=RAW&cxfConfigurer=#" + configurer, e -> {
            e.getMessage().setBody(envelope(message));
            e.getMessage().setHeader("Content-Type", "text/xml; charset=utf-8");
            e.getMessage().setHeader("SOAPAction", "\"" + SOAP_ACTION + "\"");
            e.getMessage().setHeader(HttpSyncTransport.TARGET_HEADER, target.id());
            e.getMessage().setHeader(HttpSyncTransport.SEQUENCE_HEADER, Long.toString(message.sequence()));
            e.getMessage().setHeader(HttpSyncTransport.ATTEMPT_HEADER, Integer.toString(attempt));
            if (authorization != null) {
                e.getMessage().setHeader("Authorization", authorization);
            }
        });
        if (exchange.getException() != null) {
            return failure(target, exchange.getException());
        }
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        int code = status == null ? 0 : status;
        String body = exchange.getMessage().getBody(String.class);
        if (code == 200 && body != null && ACCEPTED.matcher(body).find()) {
            return Outcome.delivered(code);
        }
        if (code >= 200 && code < 300) {
            return Outcome.failed(code, "SOAP answer " + code + " without accepted=true", null);
        }
        return Outcome.failed(code, "HTTP " + code + (code == 500 ? " (SOAP fault)" : ""),
                HttpSyncTransport.retryAfter(code, exchange.getMessage().getHeader("Retry-After", String.class), clock));
    }

    /** The SOAP 1.1 envelope of {@code egov-sync.wsdl}'s {@code deliver} operation. */
    public static byte[] envelope(SyncMessage message) {
        Base64.Encoder b64 = Base64.getEncoder();
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>"
                + "<sync:deliver xmlns:sync=\"" + NAMESPACE + "\">"
                + "<sync:event>" + b64.encodeToString(message.body()) + "</sync:event>"
                + "<sync:signature>" + b64.encodeToString(message.signature()) + "</sync:signature>"
                + "</sync:deliver></soap:Body></soap:Envelope>").getBytes(StandardCharsets.UTF_8);
    }

    private Outcome failure(SyncTarget target, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HTTPException http) {
                return Outcome.failed(http.getResponseCode(), "HTTP " + http.getResponseCode(), null);
            }
            if (t instanceof SocketTimeoutException || t instanceof HttpTimeoutException) {
                return Outcome.failed(0, "no answer within " + timeout.toSeconds() + " s", null);
            }
            if (t instanceof ConnectException) {
                return Outcome.failed(0, "connection to " + target.url().getHost() + ":" + HttpSyncTransport.port(target)
                        + " failed", null);
            }
        }
        return Outcome.failed(0, "SOAP call failed: " + failure.getClass().getSimpleName(), null);
    }

    /** A target's CXF client settings: the request timeout, and its TLS client key if it has one. */
    private record ClientSettings(Duration timeout, KeyManager[] keyManagers) implements CxfConfigurer {

        @Override
        public void configure(AbstractWSDLBasedEndpointFactory factoryBean) {
            // nothing beyond the client's conduit
        }

        @Override
        public void configureClient(Client client) {
            HTTPConduit conduit = (HTTPConduit) client.getConduit();
            HTTPClientPolicy policy = new HTTPClientPolicy();
            policy.setConnectionTimeout(timeout.toMillis());
            policy.setReceiveTimeout(timeout.toMillis());
            policy.setAutoRedirect(false);
            conduit.setClient(policy);
            if (keyManagers != null) {
                TLSClientParameters tls = new TLSClientParameters();
                tls.setKeyManagers(keyManagers);
                conduit.setTlsClientParameters(tls);
            }
        }

        @Override
        public void configureServer(Server server) {
            // a client only
        }
    }
}
