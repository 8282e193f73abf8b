package org.egovpki.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpTester;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.egovpki.core.ca.RecordingAuditLog;
import org.egovpki.core.enroll.OperatorDirectory;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;
import org.egovpki.core.sync.InMemorySyncCredentials;
import org.egovpki.core.sync.InMemorySyncStore;
import org.egovpki.core.sync.SyncBinding;
import org.egovpki.core.sync.SyncEventType;
import org.egovpki.core.sync.SyncMessage;
import org.egovpki.core.sync.SyncTarget;
import org.egovpki.core.sync.SyncTargets;
import org.egovpki.routes.SyncMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sync's HTTP surface: the pull endpoint, /metrics and the published WSDL, in-process through a LocalConnector. */
class SyncEventsResourceTest {

    private static final Instant NOW = Instant.parse("2026-12-02T04:00:00Z");
    private static final Map<String, Operator> OPERATORS = Map.of(
            "auditor", new Operator("auditor", "uid=auditor,ou=operators,o=egov-pki,c=CN", "Auditor", Set.of(Role.AUDITOR)),
            "caadmin", new Operator("caadmin", "uid=caadmin,ou=operators,o=egov-pki,c=CN", "CA admin", Set.of(Role.CA_ADMIN)),
            "clerk", new Operator("clerk", "uid=clerk,ou=operators,o=egov-pki,c=CN", "Clerk", Set.of(Role.ENTRY_CLERK)));

    private final ObjectMapper json = new ObjectMapper();
    private final InMemorySyncStore store = new InMemorySyncStore();
    private Server http;
    private LocalConnector connector;

    @BeforeEach
    void start() throws Exception {
        store.addTarget(new SyncTarget("henan-tax", URI.create("https://tax.example/sync"), SyncBinding.JSON, Set.of(),
                "egov-ca", SyncTarget.Authentication.NONE, true, SyncTarget.REALTIME, false));
        for (long seq = 1; seq <= 5; seq++) {
            store.enqueue(new SyncMessage("henan-tax", seq, "sub-ca/" + seq + "/issued", SyncEventType.CERT_ISSUED,
                    "sub-ca", seq, NOW.minusSeconds(30), ("{\"sequence\":" + seq + "}").getBytes(StandardCharsets.UTF_8),
                    new byte[] {(byte) seq, 2, 3}));
        }
        TestApiResources fixture = new TestApiResources();
        fixture.syncEvents = new SyncEventsResource(new SyncTargets(store, new InMemorySyncCredentials(),
                new RecordingAuditLog(), Clock.fixed(NOW, ZoneOffset.UTC), cron -> java.util.Optional.empty()));
        ApiResources resources = fixture.build();
        http = new Server();
        connector = new LocalConnector(http);
        http.addConnector(connector);
        SyncMetrics metrics = new SyncMetrics(store, Clock.fixed(NOW, ZoneOffset.UTC));
        http.setHandler(new Handler.Sequence(new ApiHandler(resources, new Operators(), json),
                new MetricsHandler(metrics::render, json),
                new PublicHandler(null, null, null, null, null, "ldap://localhost", Clock.systemUTC(), null,
                        Readiness.NOTHING_ELSE, json, TokenBuckets.lookups(Clock.systemUTC(), 20, 10))));
        http.start();
    }

    @AfterEach
    void stop() throws Exception {
        http.stop();
    }

    @Test
    void anAuditorPullsTheExactSignedBytesAfterASequence() throws Exception {
        HttpTester.Response response = get("/api/v1/sync/targets/henan-tax/events?after=2&limit=2", "auditor");

        assertThat(response.getStatus()).isEqualTo(200);
        JsonNode body = json.readTree(response.getContent());
        assertThat(body.get("next").asLong()).isEqualTo(4);
        JsonNode first = body.get("events").get(0);
        assertThat(first.get("sequence").asLong()).isEqualTo(3);
        assertThat(first.get("eventId").asText()).isEqualTo("sub-ca/3/issued");
        assertThat(Base64.getDecoder().decode(first.get("body").asText()))
                .isEqualTo(store.message("henan-tax", 3).orElseThrow().body());
        assertThat(Base64.getDecoder().decode(first.get("signature").asText())).containsExactly(3, 2, 3);
        assertThat(body.get("events")).hasSize(2);
    }

    @Test
    void pullingPastTheEndAnswersNoEventsAndTheSameNext() throws Exception {
        JsonNode body = json.readTree(get("/api/v1/sync/targets/henan-tax/events?after=5", "caadmin").getContent());

        assertThat(body.get("events")).isEmpty();
        assertThat(body.get("next").asLong()).isEqualTo(5);
    }

    @Test
    void pullingNeedsCaAdminOrAuditorAKnownTargetAndAValidAfter() throws Exception {
        HttpTester.Response clerk = get("/api/v1/sync/targets/henan-tax/events", "clerk");
        assertThat(clerk.getStatus()).isEqualTo(403);
        assertThat(clerk.getContent()).contains("CA_ADMIN or AUDITOR");

        assertThat(get("/api/v1/sync/targets/nobody/events", "auditor").getStatus()).isEqualTo(404);
        HttpTester.Response badAfter = get("/api/v1/sync/targets/henan-tax/events?after=-1", "auditor");
        assertThat(badAfter.getStatus()).isEqualTo(400);
        assertThat(json.readTree(badAfter.getContent()).get("field").asText()).isEqualTo("after");
        assertThat(get("/api/v1/sync/targets/henan-tax/events?limit=0", "auditor").getStatus()).isEqualTo(400);
    }

    @Test
    void metricsAreServedInThePrometheusTextFormatToLoopbackOnly() throws Exception {
        Server local = new Server();
        ServerConnector loopback = new ServerConnector(local);
        loopback.setHost("127.0.0.1");
        loopback.setPort(0);
        local.addConnector(loopback);
        local.setHandler(new MetricsHandler(new SyncMetrics(store, Clock.fixed(NOW, ZoneOffset.UTC))::render, json));
        local.start();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + loopback.getLocalPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
            assertThat(response.body()).contains("egovpki_sync_lag_events{target=\"henan-tax\"} 5\n",
                    "egovpki_sync_oldest_pending_age_seconds{target=\"henan-tax\"} 30\n");
        } finally {
            local.stop();
        }
        assertThat(MetricsHandler.loopback("127.0.0.1")).isTrue();
        assertThat(MetricsHandler.loopback("[::1]")).isTrue();
        assertThat(MetricsHandler.loopback("10.1.2.3")).isFalse();
        assertThat(MetricsHandler.loopback(null)).isFalse();
    }

    @Test
    void theWsdlIsPublishedForIntegrators() throws Exception {
        HttpTester.Request request = HttpTester.newRequest();
        request.setURI("/sync/egov-sync.wsdl");
        request.setHeader("Host", "localhost");
        HttpTester.Response response = HttpTester.parseResponse(connector.getResponse(request.generate()));

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.get("Content-Type")).startsWith("text/xml");
        assertThat(response.getContent()).contains("targetNamespace=\"urn:egov-pki:sync:1\"",
                "soapAction=\"urn:egov-pki:sync:1#deliver\"", "<soap:binding style=\"document\"",
                "<xsd:element name=\"signature\" type=\"xsd:base64Binary\"/>");
    }

    private HttpTester.Response get(String uri, String uid) throws Exception {
        HttpTester.Request request = HttpTester.newRequest();
        request.setURI(uri);
        request.setHeader("Host", "localhost");
        request.setHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                (uid + ":secret").getBytes(StandardCharsets.UTF_8)));
        return HttpTester.parseResponse(connector.getResponse(request.generate()));
    }

    /** Every operator of {@link #OPERATORS} logs in with 'secret'. */
    private static final class Operators implements OperatorDirectory {

        @Override
        public Optional<org.egovpki.core.enroll.OperatorLogin> login(String uid, char[] password) {
            return KnownOperators.loginOf(authenticate(uid, password));
        }

        @Override
        public Optional<Operator> authenticate(String uid, char[] password) {
            return String.valueOf(password).equals("secret") ? Optional.ofNullable(OPERATORS.get(uid)) : Optional.empty();
        }

        @Override
        public Optional<Operator> findByDn(String dn) {
            throw new UnsupportedOperationException("not used by the HTTP edge");
        }

        @Override
        public Optional<Operator> findByUid(String uid) {
            throw new UnsupportedOperationException("not used by the HTTP edge");
        }

        @Override
        public Operator create(String uid, String name, Set<Role> roles, char[] password) {
            throw new UnsupportedOperationException("not used by the HTTP edge");
        }
    }
}
