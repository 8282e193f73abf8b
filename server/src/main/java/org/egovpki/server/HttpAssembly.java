package org.egovpki.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.channels.ServerSocketChannel;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.time.Clock;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.egovpki.core.ca.CertificateAuthority;
import org.egovpki.core.sync.SyncTargets;
import org.egovpki.routes.BulkEnrollment;
import org.egovpki.server.config.EgovPkiConfig;
import org.egovpki.server.http.ApiHandler;
import org.egovpki.core.audit.AuditReview;
import org.egovpki.server.http.JsonErrorHandler;
import org.egovpki.server.http.MetricsHandler;
import org.egovpki.server.http.Readiness;
import org.egovpki.server.http.OcspHandler;
import org.egovpki.server.http.PublicHandler;
import org.egovpki.server.http.SubscriberChannels;
import org.egovpki.server.http.TokenBuckets;
import org.egovpki.server.metrics.OcspMetrics;
import org.egovpki.server.metrics.ServerMetrics;
import org.egovpki.server.web.OperatorPages;
import org.egovpki.server.web.WebHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP: its ports are taken at start-up step 3 ({@link #reserve}) and held, so nothing else can
 * take them and port 0 has its number before the CAs write URLs into certificates; the Jetty
 * server with the handlers, tried in order, starts last (step 13, {@link #start}).
 */
final class HttpAssembly {

    private static final Logger LOG = LoggerFactory.getLogger(HttpAssembly.class);

    private final ServerSocketChannel plain;
    private final ServerSocketChannel tls;
    private Server server;
    /** The swappable front of a locked start, {@code null} otherwise. */
    private Handler.Wrapper front;

    private HttpAssembly(ServerSocketChannel plain, ServerSocketChannel tls) {
        this.plain = plain;
        this.tls = tls;
    }

    /** Step 3: binds {@code http.port} (and {@code http.tls.port}) now and holds them until {@link #start}. */
    static HttpAssembly reserve(EgovPkiConfig.Http http, Teardown teardown) {
        ServerSocketChannel plain = Ports.reserve("HTTP", http.host(), http.port(), "--http-port");
        teardown.add(plain);
        ServerSocketChannel tls = null;
        if (http.tls() != null) {
            tls = Ports.reserve("HTTPS", http.host(), http.tls().port(), "http.tls.port =");
            teardown.add(tls);
        }
        return new HttpAssembly(plain, tls);
    }

    int port() {
        return Ports.port(plain);
    }

    /** The HTTPS port, or 0 without HTTPS. */
    int tlsPort() {
        return tls == null ? 0 : Ports.port(tls);
    }

    /**
     * Step 13: the operator API, OCSP, the metrics, the public pages and the public endpoints on the reserved ports.
     *
     * @param sync the sync delivery, {@code null} when the sync is off ({@code sync.enabled: false})
     * @param readiness start-up and the routes, for {@code /health/ready}
     * @param metrics   what {@code GET /metrics} renders; the sync's per-target series are appended to it here
     * @param auditReview the audit trail's reads and exports ({@code GET /audit})
     */
    void start(EgovPkiConfig config, Clock clock, DirectoryAssembly directory, CaAssembly ca, RaAssembly ra,
               KmAssembly km, BulkEnrollment bulk, SyncTargets syncTargets, SyncAssembly.Delivery sync,
               Readiness readiness, ServerMetrics metrics, AuditReview auditReview, Teardown teardown) {
        ObjectMapper json = new ObjectMapper();
        // One bucket per client address for every lookup by name: the /lookup page's and the RFC 4387 store's.
        TokenBuckets lookups = TokenBuckets.lookups(clock, config.info().lookupPerMinute(),
                config.info().lookupBurst());
        if (sync != null) {
            metrics.append(sync.metrics()::render);
        }
        OcspMetrics ocspMetrics = new OcspMetrics(metrics.registry());
        ocspMetrics.presigned(ca.ocsp()::presignedHits, ca.ocsp()::presignedSize);
        Handler handler = new Handler.Sequence(
                new OcspHandler(ca.ocsp(), ocspMetrics::answered),
                new ApiHandler(ra.enrollment(), ca.revocations(), ra.lifecycle(), ca.crls(), ca.caRevocations(),
                        ca.keyChangeover(),
                        ra.operators(), ca.certificates(), ca.registry(), ca.profiles(), km.recoveries(), km.link(),
                        ca.keyDeliveries(), bulk, syncTargets, sync == null ? null : sync.store(), auditReview,
                        ra.administration(), ca.statistics(), ra.operatorCertificates(), ra.secondFactor(),
                        json),
                new MetricsHandler(metrics::scrape, json),
                new WebHandler(config.info(), ca.registry(), ca.certificates(), ra.publishedCertificates(),
                        new SubscriberChannels(ca.revocations(), km.recoveries(), km.link()),
                        new OperatorPages(ra.operators(), ra.administration(), ca.statistics(),
                                ca.certificates(), ca.registry(), ra.secondFactor(), clock,
                                new SecureRandom()),
                        clock, new SecureRandom(), lookups),
                new PublicHandler(ca.registry(), ca.repository(), ra.publishedCertificates(), ca.urls(),
                        directory.names(), config.ldap().publicUrl().toString(), clock, directory.health(), readiness,
                        json, lookups));
        if (front != null) {
            // Locked start: Jetty has served the locked handler since the directory was up; swap in the full one.
            front.setHandler(handler);
            LOG.info("HTTP serves the full API now that the CA is unlocked");
            return;
        }
        serve(config.http(), handler, new JsonErrorHandler(json), metrics, clientTrust(ca), teardown);
    }

    /**
     * The locked start ({@code caKeys.custody: shares}): Jetty on the reserved ports with only
     * {@code locked} (health, custody), until {@link #start} replaces it with the full handlers.
     */
    void startLocked(EgovPkiConfig config, Handler locked, ServerMetrics metrics, Teardown teardown) {
        front = new Handler.Wrapper(true, locked);
        serve(config.http(), front, new JsonErrorHandler(new ObjectMapper()), metrics, List.of(), teardown);
    }

    /**
     * The CA certificates the HTTPS listener checks operators' TLS client certificates against: the
     * RSA and ECDSA ones (the JDK's TLS verifies no SM2 signature, so SM2 chains cannot log in this
     * way; they use the challenge-response, docs/operations.md "Two-factor login").
     */
    private static List<X509Certificate> clientTrust(CaAssembly ca) {
        List<X509Certificate> trusted = new ArrayList<>();
        for (CertificateAuthority authority : ca.registry().all()) {
            String algorithm = authority.certificate().getPublicKey().getAlgorithm();
            boolean sm2 = authority.certificate().getSigAlgOID().equals("1.2.156.10197.1.501");
            if (!sm2 && ("RSA".equals(algorithm) || "EC".equals(algorithm))) {
                trusted.add(authority.certificate());
            }
        }
        return trusted;
    }

    private void serve(EgovPkiConfig.Http http, Handler handler, JsonErrorHandler errors, ServerMetrics metrics,
                       List<X509Certificate> clientTrust, Teardown teardown) {
        Server jetty = new Server();
        // Jetty's own refusals (bad URIs, oversized headers) and uncaught exceptions answer our JSON error.
        jetty.setErrorHandler(errors);
        HttpConfiguration plainConfig = new HttpConfiguration();
        // RFC 6960 A.1 GET carries url-encoded base64, whose '/' clients such as Java's own
        // revocation checker send as %2F; Jetty answers 400 to that unless allowed. Every route
        // matches its path segments against strict patterns, so a decoded '/' cannot reach
        // anything a plain '/' could not.
        plainConfig.setUriCompliance(UriCompliance.DEFAULT.with("OCSP GET",
                UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
        ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(plainConfig));
        connector.setHost(http.host());
        connector.setPort(port());
        jetty.addConnector(connector);
        ServerConnector https = null;
        if (tls != null) {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStorePath(http.tls().keyStore().toAbsolutePath().toString());
            ssl.setKeyStoreType("PKCS12");
            ssl.setKeyStorePassword(http.tls().keyStorePassword());
            HttpConfiguration httpsConfig = new HttpConfiguration(plainConfig);
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // The listener's certificate names the host an administrator chose; calls by IP address still work.
            secure.setSniHostCheck(false);
            httpsConfig.addCustomizer(secure);
            if (!clientTrust.isEmpty()) {
                // Asked, not required: the password over a bound operator certificate counts as two factors.
                ssl.setWantClientAuth(true);
                ssl.setTrustStore(trustStore(clientTrust));
            }
            https = new ServerConnector(jetty, ssl, new HttpConnectionFactory(httpsConfig));
            https.setHost(http.host());
            https.setPort(tlsPort());
            jetty.addConnector(https);
        }
        jetty.setHandler(metrics.instrument(jetty, handler));
        jetty.setStopTimeout(5_000);
        try {
            connector.open(plain);
            if (https != null) {
                https.open(tls);
            }
            jetty.start();
        } catch (Exception e) {
            throw new StartupException("HTTP port " + http.host() + ":" + port()
                    + " cannot be opened (" + e.getMessage() + "); start with --http-port N");
        }
        server = jetty;
        teardown.add(jetty::stop);
        LOG.info("HTTP listening on http://{}:{}{}", http.host(), connector.getLocalPort(),
                tls == null ? "" : " and https://" + http.host() + ":" + tlsPort());
    }

    private static KeyStore trustStore(List<X509Certificate> certificates) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("ca-" + i, certificates.get(i));
            }
            return store;
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            throw new StartupException("cannot build the HTTPS listener's trust store of CA certificates: "
                    + e.getMessage());
        }
    }

    boolean running() {
        return server != null && server.isRunning();
    }
}
