package org.egovpki.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedModifyRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.HttpTester;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Server;
import org.egovpki.core.ca.CaRegistry;
import org.egovpki.directory.DirectoryHealth;
import org.egovpki.directory.DirectoryNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@code /health} tells the truth: a directory that refuses writes, as ApacheDS does once its
 * JDBM files are damaged, makes it answer 503 DOWN naming the directory, without the directory's
 * own error text, though the directory still accepts connections and reads. {@code /health/ready}
 * is 503 naming what is not ready — the directory, or start-up not finished — and
 * {@code /health/live} answers 200 whenever the process does.
 */
class PublicHandlerHealthTest {

    private static final String BASE = "o=egov-pki,c=CN";

    private final ObjectMapper json = new ObjectMapper();
    private volatile boolean refuseWrites;
    private volatile String startupProblem;
    private InMemoryDirectoryServer directory;
    private Server http;
    private LocalConnector connector;

    @BeforeEach
    void start() throws Exception {
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
        config.addInMemoryOperationInterceptor(new InMemoryOperationInterceptor() {
            @Override
            public void processModifyRequest(InMemoryInterceptedModifyRequest request) throws LDAPException {
                if (refuseWrites) {
                    throw new LDAPException(ResultCode.OTHER, "ERR_554 double get for block 12");
                }
            }
        });
        directory = new InMemoryDirectoryServer(config);
        directory.add("dn: " + BASE, "objectClass: top", "objectClass: organization", "o: egov-pki");
        directory.add("dn: ou=sync," + BASE, "objectClass: top", "objectClass: organizationalUnit", "ou: sync");
        directory.startListening();
        DirectoryNames names = new DirectoryNames(BASE);
        // Reuse time zero: every request probes, so the test sees each change at once.
        DirectoryHealth health = new DirectoryHealth(directory.getConnectionPool(1), names, Clock.systemUTC(),
                Duration.ofSeconds(5), Duration.ZERO);
        // No CAs: the CA part of the health answer is covered by ServerIT; the publications and
        // URLs are not read without CAs.
        PublicHandler handler = new PublicHandler(new CaRegistry(List.of()), null, null, null, names,
                "ldap://127.0.0.1:10389", Clock.systemUTC(), health,
                () -> List.of(new Readiness.Component("startup", startupProblem)), json,
                TokenBuckets.lookups(Clock.systemUTC(), 20, 10));
        http = new Server();
        connector = new LocalConnector(http);
        http.addConnector(connector);
        http.setHandler(handler);
        http.start();
    }

    @AfterEach
    void stop() throws Exception {
        http.stop();
        directory.shutDown(true);
    }

    @Test
    void aMalformedStoreQueryIsRefusedWithoutAWarningAnyoneCouldRepeatIntoTheLog() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(PublicHandler.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        logger.addAppender(events);
        try {
            HttpTester.Response response = get("/certs?sHash=not-base64!");

            assertThat(response.getStatus()).isEqualTo(400);
            assertThat(events.list).as("what was logged").noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
        } finally {
            logger.detachAppender(events);
        }
    }

    @Test
    void aStaleCrlIsAnAlertOnHealthButDoesNotTakeTheServerOutOfService() {
        List<Map<String, Object>> cas = List.of(Map.of("name", "sm2-root", "status", "UP"),
                Map.of("name", "sm2-issuing", "status", "CRL_STALE"));

        assertThat(PublicHandler.problem(cas, Set.of("UP"))).isEqualTo("sm2-issuing CRL_STALE");
        assertThat(PublicHandler.problem(cas, Set.of("UP", "CRL_STALE"))).isNull();
        assertThat(PublicHandler.problem(List.of(Map.of("name", "sm2-issuing", "status", "NOT_PUBLISHED")),
                Set.of("UP", "CRL_STALE"))).isEqualTo("sm2-issuing NOT_PUBLISHED");
    }

    @Test
    void aDirectoryThatReadsAndWritesIsUp() throws Exception {
        HttpTester.Response response = get("/health");

        assertThat(response.getStatus()).isEqualTo(200);
        JsonNode body = json.readTree(response.getContent());
        assertThat(body.path("status").asText()).isEqualTo("UP");
        assertThat(body.path("directory").path("status").asText()).isEqualTo("UP");
    }

    @Test
    void aDirectoryThatRefusesWritesIsDown503NamingTheDirectoryWithoutItsInternals() throws Exception {
        refuseWrites = true;

        HttpTester.Response response = get("/health");

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.get("Content-Type")).startsWith("application/json");
        JsonNode body = json.readTree(response.getContent());
        assertThat(body.path("status").asText()).isEqualTo("DOWN");
        assertThat(body.path("directory").path("status").asText()).isEqualTo("DOWN");
        assertThat(body.path("directory").path("problem").asText()).isEqualTo("a write to the directory failed");
        assertThat(response.getContent()).doesNotContain("ERR_").doesNotContain("block").doesNotContain("Exception");

        refuseWrites = false;
        assertThat(get("/health").getStatus()).as("up again once the directory writes").isEqualTo(200);
    }

    @Test
    void headAnswersTheSameStatus() throws Exception {
        refuseWrites = true;

        assertThat(HttpTester.parseResponse(connector.getResponse(
                "HEAD /health HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")).getStatus()).isEqualTo(503);
    }

    @Test
    void liveAnswersWhileTheDirectoryIsDownAndTheServerNotReady() throws Exception {
        refuseWrites = true;
        startupProblem = "start-up has not finished";

        HttpTester.Response response = get("/health/live");

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(json.readTree(response.getContent()).path("status").asText()).isEqualTo("UP");
    }

    @Test
    void readyWhenTheDirectoryTheCasAndStartUpAreReady() throws Exception {
        HttpTester.Response response = get("/health/ready");

        assertThat(response.getStatus()).isEqualTo(200);
        JsonNode body = json.readTree(response.getContent());
        assertThat(body.path("status").asText()).isEqualTo("READY");
        assertThat(body.has("notReady")).isFalse();
        assertThat(body.path("components").findValuesAsText("name")).containsExactly("directory", "cas", "startup");
        assertThat(body.path("components").findValuesAsText("status")).containsOnly("READY");
    }

    @Test
    void notReady503NamingStartUpUntilItFinishes() throws Exception {
        startupProblem = "start-up has not finished (recovery of half-done issuances)";

        HttpTester.Response response = get("/health/ready");

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.get("Content-Type")).startsWith("application/json");
        JsonNode body = json.readTree(response.getContent());
        assertThat(body.path("status").asText()).isEqualTo("NOT_READY");
        assertThat(texts(body.path("notReady"))).containsExactly("startup");
        assertThat(body.path("components").get(2).path("problem").asText())
                .isEqualTo("start-up has not finished (recovery of half-done issuances)");

        startupProblem = null;
        assertThat(get("/health/ready").getStatus()).as("ready once start-up finished").isEqualTo(200);
    }

    @Test
    void notReady503NamingTheDirectoryWhenItRefusesWrites() throws Exception {
        refuseWrites = true;

        HttpTester.Response response = get("/health/ready");

        assertThat(response.getStatus()).isEqualTo(503);
        JsonNode body = json.readTree(response.getContent());
        assertThat(texts(body.path("notReady"))).containsExactly("directory", "cas");
        assertThat(body.path("components").get(0).path("problem").asText()).isEqualTo("a write to the directory failed");
        assertThat(response.getContent()).doesNotContain("ERR_").doesNotContain("block");
    }

    private static java.util.List<String> texts(JsonNode array) {
        java.util.List<String> texts = new java.util.ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    private HttpTester.Response get(String path) throws Exception {
        return HttpTester.parseResponse(connector.getResponse(
                "GET " + path + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"));
    }
}
