package org.egovpki.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eclipse.jetty.http.HttpTester;
import org.egovpki.core.ca.RecordingAuditLog;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.CertificateStatus;
import org.egovpki.core.certificate.IssuanceState;
import org.egovpki.core.certificate.VisibleCertificates;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;
import org.egovpki.core.profile.CertificateType;
import org.egovpki.core.profile.KeyUsageKind;
import org.egovpki.core.stats.DayFigures;
import org.egovpki.core.stats.Statistics;
import org.egovpki.core.stats.StatisticsSource;
import org.egovpki.core.stats.StatisticsStore;
import org.egovpki.core.sync.InMemorySyncCredentials;
import org.egovpki.core.sync.InMemorySyncStore;
import org.egovpki.core.sync.SyncTargets;
import org.egovpki.server.sync.QuartzCronSyntax;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An application admin's API, over every operation in the route table, so an endpoint added later
 * cannot forget the scope: the scoped operations answer only the admin's business types (another
 * business type's certificate or sync target answers exactly as an absent one), and every other
 * operation answers exactly as a path outside the API. Also the statistics' CSV export.
 */
class ApplicationAdminApiTest {

    private static final Instant NOW = Instant.parse("2026-12-03T02:00:00Z");
    private static final Operator CA_ADMIN = new Operator("ca", "uid=ca,ou=operators,o=egov-pki,c=CN", "CA",
            Set.of(Role.CA_ADMIN));
    private static final Operator TAX_ADMIN = new Operator("taxadmin", "uid=taxadmin,ou=operators,o=egov-pki,c=CN",
            "Tax", Set.of(Role.APPLICATION_ADMIN), Set.of("tax"));

    private final ObjectMapper json = new ObjectMapper();
    private final List<CertificateRecord> records = List.of(record(0x0a, "tax", "Zhengzhou, Henan"),
            record(0x0b, "health", "410000"));
    private static final Map<String, Operator> OPERATORS = Map.of("ca", CA_ADMIN, "taxadmin", TAX_ADMIN, "clerk",
            new Operator("clerk", "uid=clerk,ou=operators,o=egov-pki,c=CN", "Clerk", Set.of(Role.ENTRY_CLERK)));

    private LocalApi api;

    @BeforeEach
    void start() throws Exception {
        CertificateFinder all = new CertificateFinder(this::search);
        RequestResource requests = new RequestResource(null, null);
        SyncTargets targets = new SyncTargets(new InMemorySyncStore(), new InMemorySyncCredentials(),
                new RecordingAuditLog(), Clock.fixed(NOW, ZoneOffset.UTC), new QuartzCronSyntax());
        targets.add(CA_ADMIN, settings("tax-sys", List.of("tax")), null);
        targets.add(CA_ADMIN, settings("health-sys", List.of("health")), null);
        targets.add(CA_ADMIN, settings("every-sys", List.of()), null);
        Statistics statistics = new Statistics(new Facts(records), new Days(), Clock.fixed(NOW, ZoneOffset.UTC),
                Statistics.DEFAULT_ZONE);
        TestApiResources fixture = new TestApiResources();
        fixture.certificates = new CertificateResource(new VisibleCertificates(this::search), new CertificateFiles(null));
        fixture.revocations = new RevocationResource(null, all, fixture.noChannels);
        fixture.lifecycle = new LifecycleResource(null, all, fixture.requests);
        fixture.sync = new SyncResource(targets);
        fixture.syncEvents = new SyncEventsResource(targets);
        fixture.statistics = new StatisticsResource(statistics);
        ApiResources resources = fixture.build();
        api = new LocalApi(resources, new KnownOperators(OPERATORS), json);
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    static Stream<ApiRoutes.Operation> operatorOperations() {
        return ApiRoutes.API.operations().stream()
                .filter(o -> !ApiRoutes.API.match(o.method(), example(o.template())).orElseThrow().route().open());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operatorOperations")
    void everyOperationAnswersAnApplicationAdminWithItsScopeOrAsIfItDidNotExist(ApiRoutes.Operation operation)
            throws Exception {
        String path = "/api/v1" + example(operation.template());
        HttpTester.Response response = call(operation.method(), path, "taxadmin", bodyFor(operation), null);

        if (operation.template().equals("/operators/me/password") || operation.template().equals("/login/challenge")) {
            // An application admin changes its own password like any operator (OperatorManagementIT), and asks
            // for a login challenge when its role is configured to need the second factor (TwoFactorLoginIT).
            assertThat(response.getContent()).doesNotContain("is not part of the API");
        } else if (ApiRoutes.API.scopedOperations().contains(operation)) {
            assertThat(response.getStatus()).as(response.getContent()).isEqualTo(200);
            assertThat(response.getContent()).doesNotContain("health").doesNotContain("every-sys");
        } else {
            assertThat(response.getStatus()).isEqualTo(404);
            assertThat(response.getContent()).isEqualTo("{\"code\":\"NOT_FOUND\",\"message\":\"" + operation.method()
                    + " " + path + " is not part of the API; see /api/v1/openapi.yaml\",\"field\":null}");
        }
    }

    @Test
    void theScopedOperationsAreTheCertificatesStatisticsAndSyncStateReads() {
        assertThat(ApiRoutes.API.scopedOperations()).extracting(o -> o.method() + " " + o.template())
                .containsExactly("GET /certificates", "GET /certificates/{serial}", "GET /sync/targets",
                        "GET /sync/targets/{id}", "POST /operators/me/password", "POST /login/challenge",
                        "GET /statistics/certificates",
                        "GET /statistics/efficiency");
    }

    @Test
    void anotherBusinessTypesCertificateAnswersExactlyLikeAnAbsentSerial() throws Exception {
        HttpTester.Response other = call("GET", "/api/v1/certificates/0b", "taxadmin", null, null);
        HttpTester.Response absent = call("GET", "/api/v1/certificates/0c", "taxadmin", null, null);
        HttpTester.Response own = call("GET", "/api/v1/certificates/0a", "taxadmin", null, null);

        assertThat(other.getStatus()).isEqualTo(404);
        assertThat(other.getContent()).isEqualTo(absent.getContent().replace("0c", "0b"));
        assertThat(own.getStatus()).isEqualTo(200);
        assertThat(body(call("GET", "/api/v1/certificates", "taxadmin", null, null)).path("certificates"))
                .extracting(c -> c.path("serial").asText()).containsExactly("a");
        assertThat(body(call("GET", "/api/v1/certificates", "ca", null, null)).path("certificates")).hasSize(2);
    }

    @Test
    void anotherBusinessTypesSyncTargetAnswersExactlyLikeAnAbsentOne() throws Exception {
        HttpTester.Response other = call("GET", "/api/v1/sync/targets/health-sys", "taxadmin", null, null);
        HttpTester.Response absent = call("GET", "/api/v1/sync/targets/nosuch-sys", "taxadmin", null, null);

        assertThat(other.getStatus()).isEqualTo(404);
        assertThat(other.getContent()).isEqualTo(absent.getContent().replace("nosuch-sys", "health-sys"));
        assertThat(call("GET", "/api/v1/sync/targets/every-sys", "taxadmin", null, null).getStatus()).isEqualTo(404);
        assertThat(body(call("GET", "/api/v1/sync/targets", "taxadmin", null, null)).findValuesAsText("id"))
                .containsExactly("tax-sys");
        assertThat(body(call("GET", "/api/v1/sync/targets", "ca", null, null)).findValuesAsText("id")).hasSize(3);
    }

    @Test
    void statisticsAreScopedAndExportedAsRfc4180Csv() throws Exception {
        JsonNode mine = body(call("GET", "/api/v1/statistics/certificates?from=2026-12-01&to=2026-12-01&groupBy=businessType",
                "taxadmin", null, null));
        assertThat(mine.path("rows").findValuesAsText("group")).containsExactly("tax");
        assertThat(mine.path("rows").get(0).path("issued").asLong()).isEqualTo(1);

        HttpTester.Response csv = call("GET", "/api/v1/statistics/certificates?from=2026-12-01&to=2026-12-01"
                + "&groupBy=region&format=csv", "ca", null, null);
        assertThat(csv.getStatus()).isEqualTo(200);
        assertThat(csv.get("Content-Type")).startsWith("text/csv");
        assertThat(csv.getContent()).isEqualTo("start,end,region,issued,renewed,revoked,expired,valid\r\n"
                + "2026-12-01,2026-12-01,410000,1,0,0,0,1\r\n"
                + "2026-12-01,2026-12-01,\"Zhengzhou, Henan\",1,0,0,0,1\r\n");

        HttpTester.Response accepted = call("GET", "/api/v1/statistics/efficiency?from=2026-12-01&to=2026-12-01", "ca",
                null, "text/csv");
        assertThat(accepted.getContent()).startsWith("start,end,none,decided,decisionMedianSeconds,");
        assertThat(accepted.getContent()).contains("2026-12-01,2026-12-01,all,0,,,0,,,0\r\n");
    }

    @Test
    void badStatisticsParametersAre400NamingTheParameter() throws Exception {
        HttpTester.Response reversed = call("GET", "/api/v1/statistics/certificates?from=2026-12-02&to=2026-12-01",
                "ca", null, null);
        HttpTester.Response format = call("GET", "/api/v1/statistics/certificates?format=xml", "ca", null, null);

        assertThat(reversed.getStatus()).isEqualTo(400);
        assertThat(reversed.getContent()).isEqualTo("{\"code\":\"BAD_REQUEST\",\"message\":\"from 2026-12-02 is after "
                + "to 2026-12-01\",\"field\":\"from\"}");
        assertThat(body(format).path("field").asText()).isEqualTo("format");
        assertThat(call("GET", "/api/v1/statistics/certificates", "clerk", null, null).getStatus()).isEqualTo(403);
    }

    private List<CertificateRecord> search(org.egovpki.core.certificate.CertificateQuery q) {
        return records.stream().filter(r -> q.serialHex() == null || r.serialHex().equals(q.serialHex()))
                .filter(r -> q.businessTypes().isEmpty() || q.businessTypes().contains(r.businessType())).toList();
    }

    /** A path the template matches, naming the tax admin's own things where there is one. */
    private static String example(String template) {
        return template.replace("/km/recoveries/{id}", "/km/recoveries/kr-1").replace("/sync/targets/{id}",
                "/sync/targets/tax-sys").replace("{id}", "r-1").replace("{serial}", "0a").replace("{ca}", "sm2-issuing")
                .replace("{uid}", "clerk1");
    }

    private static String bodyFor(ApiRoutes.Operation operation) {
        return operation.method().equals("GET") || operation.method().equals("DELETE") ? null : "{}";
    }

    private static SyncTargets.Settings settings(String id, List<String> businessTypes) {
        return new SyncTargets.Settings(id, "https://" + id + ".example/sync", null, businessTypes, "ca-" + id, null,
                null, null, null, null);
    }

    private static CertificateRecord record(int serial, String businessType, String region) {
        Instant at = Instant.parse("2026-12-01T02:00:00Z");
        return new CertificateRecord("sm2-issuing", BigInteger.valueOf(serial), "r-" + serial, "s-" + serial,
                "CN=Holder " + serial + ",C=CN", "personal", CertificateType.PERSONAL, KeyUsageKind.SIGNING, businessType,
                region, CertificateStatus.VALID, IssuanceState.PUBLISHED, new byte[] {0x30, 0}, new byte[] {0x30, 0}, at,
                at.plusSeconds(86_400 * 365L), "00", at, 0, null);
    }

    private HttpTester.Response call(String method, String path, String uid, String body, String accept) throws Exception {
        return api.call(method, path, LocalApi.headers("Authorization", LocalApi.basic(uid, KnownOperators.PASSWORD),
                "Accept", accept), body);
    }

    private JsonNode body(HttpTester.Response response) throws Exception {
        return json.readTree(response.getContent());
    }

    /** The statistics' view of {@link #records}. */
    private record Facts(List<CertificateRecord> records) implements StatisticsSource {
        @Override
        public List<CertificateFact> certificates(Instant from, Instant to) {
            return records.stream().filter(r -> !r.createdAt().isBefore(from) && r.createdAt().isBefore(to))
                    .map(r -> new CertificateFact(r.businessType(), r.region(), r.type().name(), true, r.createdAt(),
                            r.notAfter(), null, null)).toList();
        }

        @Override
        public List<RequestFact> requests(Instant from, Instant to) {
            return List.of();
        }

        @Override
        public List<RequestFact> undecided(int limit) {
            return List.of();
        }
    }

    private static final class Days implements StatisticsStore {
        private final SortedMap<LocalDate, DayFigures> days = new TreeMap<>();

        @Override
        public synchronized SortedMap<LocalDate, DayFigures> closedDays() {
            return new TreeMap<>(days);
        }

        @Override
        public synchronized void store(LocalDate day, DayFigures figures) {
            days.put(day, figures);
        }
    }
}
