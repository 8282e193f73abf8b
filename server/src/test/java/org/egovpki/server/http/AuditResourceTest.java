package org.egovpki.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.HttpTester;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditExportSigner;
import org.egovpki.core.audit.AuditReview;
import org.egovpki.core.ca.MovableClock;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;
import org.egovpki.server.audit.AuditRotation;
import org.egovpki.server.audit.AuditSeal;
import org.egovpki.server.audit.FileAuditLog;
import org.egovpki.server.audit.FileAuditTrailReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code GET /audit} at the HTTP edge over a real trail file: the entries as JSON, each bad
 * parameter refused with 400 naming it (and nothing read or audited), a clerk refused with 403.
 */
class AuditResourceTest {

    private static final Instant START = Instant.parse("2026-12-01T08:00:00Z");
    private static final Operator AUDITOR = new Operator("audit1", "uid=audit1,ou=operators,o=egov-pki,c=CN",
            "Auditor", Set.of(Role.AUDITOR));
    private static final Operator CLERK = new Operator("clerk1", "uid=clerk1,ou=operators,o=egov-pki,c=CN", "Clerk",
            Set.of(Role.ENTRY_CLERK));

    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();
    private final MovableClock clock = new MovableClock(START);
    private FileAuditLog log;
    private LocalApi api;

    @BeforeEach
    void start() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        log = new FileAuditLog(file, FileAuditLog.SERVER_TRAIL,
                AuditSeal.of("test-seal-key-0123456789abcdef".toCharArray()), clock, AuditRotation.NEVER);
        for (int i = 1; i <= 5; i++) {
            clock.advance(Duration.ofMinutes(1));
            log.record(AuditEvent.success(clock.instant(), AuditEventType.CRL_ISSUED, AuditEvent.SYSTEM,
                    List.of("sm2-issuing"), Map.of("crlNumber", Integer.toString(i))));
        }
        AuditExportSigner noSigner = new AuditExportSigner() {
            @Override
            public byte[] sign(byte[] manifest) {
                throw new AssertionError("no export here");
            }

            @Override
            public String ca() {
                return "none";
            }
        };
        AuditReview review = new AuditReview(new FileAuditTrailReader(file, FileAuditLog.SERVER_TRAIL, noSigner, clock),
                log, clock);
        TestApiResources fixture = new TestApiResources();
        fixture.audit = new AuditResource(review);
        ApiResources resources = fixture.build();
        api = new LocalApi(resources, new KnownOperators(Map.of("audit1", AUDITOR, "clerk1", CLERK)), json);
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
        log.close();
    }

    @Test
    void theAuditorGetsTheEntriesNewestFirstWithItsOwnReadOnTop() throws Exception {
        HttpTester.Response response = get("/api/v1/audit?limit=2&subject=sm2-issuing", "audit1");

        assertThat(response.getStatus()).isEqualTo(200);
        JsonNode body = json.readTree(response.getContent());
        assertThat(body.path("entries")).hasSize(2);
        JsonNode newest = body.path("entries").get(0);
        assertThat(newest.path("sequence").asLong()).isEqualTo(5);
        assertThat(newest.path("time").asText()).isEqualTo("2026-12-01T08:05:00Z");
        assertThat(newest.path("type").asText()).isEqualTo("CRL_ISSUED");
        assertThat(newest.path("actor").asText()).isEqualTo("system");
        assertThat(newest.path("subjects").get(0).asText()).isEqualTo("sm2-issuing");
        assertThat(newest.path("details").path("crlNumber").asText()).isEqualTo("5");
        assertThat(newest.path("outcome").asText()).isEqualTo("SUCCESS");
        assertThat(newest.has("prev")).isFalse();
        assertThat(body.path("next").isTextual()).isTrue();

        JsonNode all = json.readTree(get("/api/v1/audit?order=newest", "audit1").getContent());
        assertThat(all.path("entries").get(0).path("type").asText()).isEqualTo("AUDIT_TRAIL_READ");
        assertThat(all.path("entries").get(0).path("actor").asText()).isEqualTo(AUDITOR.dn());
        assertThat(all.path("next").isNull()).isTrue();
    }

    @Test
    void aClerkIsRefusedWith403AndTheRefusalIsAudited() throws Exception {
        long before = log.lastSequence();

        HttpTester.Response response = get("/api/v1/audit", "clerk1");

        assertThat(response.getStatus()).isEqualTo(403);
        assertThat(json.readTree(response.getContent()).path("message").asText()).isEqualTo("operator clerk1 may not "
                + "read the audit trail: only an auditor or a business admin (CA_ADMIN, RA_ADMIN, KM_BUSINESS_ADMIN) may");
        assertThat(log.lastSequence()).isEqualTo(before + 1);
        assertThat(get("/api/v1/audit/export?from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z", "clerk1")
                .getStatus()).isEqualTo(403);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "from=2026-12-01|from|from must be an ISO-8601 time with an offset, e.g. 2026-12-01T00:00:00Z or 2026-12-01T08:00:00+08:00, not '2026-12-01'",
        "to=yesterday|to|to must be an ISO-8601 time with an offset, e.g. 2026-12-01T00:00:00Z or 2026-12-01T08:00:00+08:00, not 'yesterday'",
        "from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z|to|to (2026-12-01T00:00:00Z) must be after from (2026-12-02T00:00:00Z)",
        "type=NO_SUCH_EVENT|type|unknown type 'NO_SUCH_EVENT'; allowed: ",
        "limit=0|limit|limit must be a whole number from 1 to 1000",
        "limit=1001|limit|limit must be a whole number from 1 to 1000",
        "limit=ten|limit|limit must be a whole number from 1 to 1000",
        "order=up|order|order must be newest (the default) or oldest, not 'up'",
        "cursor=abc|cursor|cursor is not a next token of this API; pass the next value of the previous page unchanged, or leave cursor out for the first page",
        "actor=|actor|actor must not be empty; leave it out to match every actor",
        "actr=system|actr|unknown query parameter 'actr'; allowed: [actor, cursor, from, limit, order, subject, to, type]",
        "type=CRL_ISSUED&type=CA_CREATED|type|type is given 2 times; give it once"})
    void aBadParameterIs400NamingItAndNothingIsReadOrAudited(String query, String field, String message)
            throws Exception {
        long before = log.lastSequence();

        HttpTester.Response response = get("/api/v1/audit?" + query, "audit1");

        assertThat(response.getStatus()).isEqualTo(400);
        JsonNode body = json.readTree(response.getContent());
        assertThat(body.path("code").asText()).isEqualTo("BAD_REQUEST");
        assertThat(body.path("field").asText()).isEqualTo(field);
        assertThat(body.path("message").asText()).startsWith(message);
        assertThat(log.lastSequence()).isEqualTo(before);
    }

    @Test
    void anExportWithoutItsPeriodIs400() throws Exception {
        HttpTester.Response response = get("/api/v1/audit/export?from=2026-12-01T00:00:00Z", "audit1");

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(json.readTree(response.getContent()).path("field").asText()).isEqualTo("to");
    }

    private HttpTester.Response get(String path, String uid) throws Exception {
        return api.call("GET", path, LocalApi.headers("Authorization", LocalApi.basic(uid, KnownOperators.PASSWORD)),
                null);
    }
}
