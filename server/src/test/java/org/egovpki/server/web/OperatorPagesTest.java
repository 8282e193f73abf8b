package org.egovpki.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpTester;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Server;
import org.egovpki.core.ca.CaRegistry;
import org.egovpki.core.certificate.CertificateLookup;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.CertificateStatus;
import org.egovpki.core.certificate.IssuanceState;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditOutcome;
import org.egovpki.core.certificate.CertificateRecords;
import org.egovpki.core.enroll.OperatorAccounts;
import org.egovpki.core.enroll.OperatorCertificateBindings;
import org.egovpki.core.enroll.OperatorCertificates;
import org.egovpki.core.enroll.OperatorDirectory;
import org.egovpki.core.enroll.SecondFactorLogin;
import org.egovpki.core.operator.SecondFactorPolicy;
import org.egovpki.core.profile.CertificateType;
import org.egovpki.core.profile.KeyUsageKind;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;
import org.egovpki.core.stats.DayFigures;
import org.egovpki.core.stats.Statistics;
import org.egovpki.core.stats.StatisticsSource;
import org.egovpki.core.stats.StatisticsStore;
import org.egovpki.server.config.EgovPkiConfig;
import org.egovpki.server.http.StatisticsResource;
import org.egovpki.server.http.TokenBucketsTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operators' login and statistics pages through Jetty's local connector, against a fake
 * directory of operators, statistics over two certificates, and the second factor required of the
 * administrative roles (the shipped default) with certificate bindings held in memory. The local
 * connector is plain HTTP: no TLS client certificate ever comes with a login here (TwoFactorLoginIT
 * logs in to the pages with one).
 */
class OperatorPagesTest {

    private static final Operator ADMIN = new Operator("admin", "uid=admin", "Admin", Set.of(Role.CA_ADMIN));
    private static final Operator CLERK = new Operator("clerk", "uid=clerk", "Clerk", Set.of(Role.ENTRY_CLERK));
    private static final Operator TAX_ADMIN = new Operator("taxadmin", "uid=taxadmin", "Tax", Set.of(Role.APPLICATION_ADMIN),
            Set.of("tax"));
    private static final Operator FRESH = new Operator("fresh", "uid=fresh", "Fresh", Set.of(Role.CA_ADMIN));
    private static final Pattern TOKEN = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern COOKIE = Pattern.compile("egov_csrf=([A-Za-z0-9_-]{43})");
    private static final String RANGE = "from=2026-11-30&to=2026-12-01&period=day";

    private final TokenBucketsTest.MovingClock clock = new TokenBucketsTest.MovingClock();
    private final List<String> attempts = new ArrayList<>();
    private final List<AuditEvent> audit = new ArrayList<>();
    private final java.util.Map<String, String> bindings = new java.util.HashMap<>();
    private final java.util.Map<String, CertificateRecord> operatorCertificates = new java.util.HashMap<>();
    private Statistics statistics;
    private Server http;
    private LocalConnector connector;
    /** A connector whose requests look as if they came over TLS presenting {@link #clientCertificate}. */
    private LocalConnector tls;
    private java.security.cert.X509Certificate clientCertificate;
    private boolean overTls;

    @BeforeEach
    void start() throws Exception {
        OperatorDirectory directory = new OperatorDirectory() {
            @Override
            public Optional<org.egovpki.core.enroll.OperatorLogin> login(String uid, char[] password) {
                throw new UnsupportedOperationException("the pages log in with authenticate");
            }

            @Override
            public Optional<Operator> authenticate(String uid, char[] password) {
                attempts.add(uid);
                return String.valueOf(password).equals("right-password") ? findByUid(uid) : Optional.empty();
            }

            @Override
            public Optional<Operator> findByUid(String uid) {
                return Optional.ofNullable(switch (uid) {
                    case "admin" -> ADMIN;
                    case "clerk" -> CLERK;
                    case "fresh" -> FRESH;
                    case "taxadmin" -> TAX_ADMIN;
                    default -> null;
                });
            }

            @Override
            public Optional<Operator> findByDn(String dn) {
                return Optional.ofNullable(dn.startsWith("uid=") ? findByUid(dn.substring(4)).orElse(null) : null);
            }

            @Override
            public Operator create(String uid, String name, Set<Role> roles, char[] password) {
                throw new UnsupportedOperationException("the pages create no operators");
            }
        };
        StatisticsSource source = new StatisticsSource() {
            @Override
            public List<CertificateFact> certificates(Instant from, Instant to) {
                return List.of(
                        new CertificateFact("tax", "110000", "PERSON", true, Instant.parse("2026-11-30T02:00:00Z"),
                                Instant.parse("2027-11-30T02:00:00Z"), null, null),
                        new CertificateFact("tax", "110000", "PERSON", true, Instant.parse("2026-11-30T03:00:00Z"),
                                Instant.parse("2027-11-30T02:00:00Z"), Instant.parse("2026-11-30T04:00:00Z"),
                                "KEY_COMPROMISE"));
            }

            @Override
            public List<RequestFact> requests(Instant from, Instant to) {
                return List.of();
            }

            @Override
            public List<RequestFact> undecided(int limit) {
                return List.of();
            }
        };
        StatisticsStore store = new StatisticsStore() {
            private final SortedMap<java.time.LocalDate, DayFigures> days = new TreeMap<>();

            @Override
            public SortedMap<java.time.LocalDate, DayFigures> closedDays() {
                return new TreeMap<>(days);
            }

            @Override
            public void store(java.time.LocalDate day, DayFigures figures) {
                days.put(day, figures);
            }
        };
        statistics = new Statistics(source, store, clock, Statistics.DEFAULT_ZONE);
        EgovPkiConfig.Info info = new EgovPkiConfig.Info("测试 CA", "Test CA", null, null, null, null, null, null, null,
                60, 2);
        byte[] der = WebHandlerTest.certificate().getEncoded();
        List<CertificateRecord> records = List.of(record("tax", "a1", der), record("health", "b2", der));
        CertificateLookup lookup = query -> records.stream()
                .filter(r -> query.serialHex() == null || query.serialHex().equals(r.serialHex()))
                .filter(r -> query.businessTypes().isEmpty() || query.businessTypes().contains(r.businessType()))
                .toList();
        OperatorPages pages = new OperatorPages(directory, operator -> operator == FRESH, statistics, lookup,
                new CaRegistry(List.of()), secondFactor(directory), clock, new SecureRandom());
        WebHandler handler = new WebHandler(info, new CaRegistry(List.of()), query -> List.of(),
                (key, value, limit) -> null, null, pages, clock, new SecureRandom());
        http = new Server();
        connector = new LocalConnector(http);
        http.addConnector(connector);
        org.eclipse.jetty.server.HttpConfiguration tlsConfig = new org.eclipse.jetty.server.HttpConfiguration();
        tlsConfig.addCustomizer((request, responseHeaders) -> new org.eclipse.jetty.server.Request.Wrapper(request) {
            @Override
            public boolean isSecure() {
                return true;
            }

            @Override
            public Object getAttribute(String name) {
                return name.equals(org.eclipse.jetty.io.EndPoint.SslSessionData.ATTRIBUTE) && clientCertificate != null
                        ? org.eclipse.jetty.io.EndPoint.SslSessionData.from(null, "test", "TLS_AES_128_GCM_SHA256",
                        new java.security.cert.X509Certificate[] {clientCertificate})
                        : super.getAttribute(name);
            }
        });
        tls = new LocalConnector(http, new org.eclipse.jetty.server.HttpConnectionFactory(tlsConfig));
        http.addConnector(tls);
        http.setHandler(handler);
        http.start();
    }

    @AfterEach
    void stop() throws Exception {
        http.stop();
    }

    @Test
    void theStatisticsNeedALogin() throws Exception {
        HttpTester.Response page = get("/statistics?" + RANGE, "");
        HttpTester.Response csv = get("/statistics.csv?" + RANGE, "");

        assertThat(page.getStatus()).isEqualTo(303);
        assertThat(page.get("Location")).isEqualTo("/login");
        assertThat(csv.getStatus()).isEqualTo(303);
        assertThat(csv.getContent()).isEmpty();
    }

    @Test
    void aWrongPasswordIsRefusedWithoutSayingWhetherTheLoginExists() throws Exception {
        HttpTester.Response wrongPassword = login("admin", "wrong");
        HttpTester.Response noSuchLogin = login("nobody", "right-password");

        for (HttpTester.Response r : List.of(wrongPassword, noSuchLogin)) {
            assertThat(r.getStatus()).isEqualTo(401);
            assertThat(r.getContent()).contains("id=\"login-error\"", "Wrong login or password.");
            assertThat(r.getValuesList("Set-Cookie")).noneMatch(c -> c.startsWith(OperatorSessions.COOKIE));
        }
        assertThat(attempts).containsExactly("admin", "nobody");
    }

    @Test
    void aLoginWithoutTheFormsTokenIsRefusedAndNotTried() throws Exception {
        HttpTester.Response r = post("/login", "", "uid=admin&password=right-password");

        assertThat(r.getStatus()).isEqualTo(403);
        assertThat(r.getContent()).contains("csrf-refused");
        assertThat(attempts).isEmpty();
    }

    @Test
    void anOperatorWhoMustChangeThePasswordIsToldHowAndGetsNoSession() throws Exception {
        HttpTester.Response r = login("fresh", "right-password");

        assertThat(r.getStatus()).isEqualTo(403);
        assertThat(r.getContent()).contains("egov-pki operator passwd");
        assertThat(r.getValuesList("Set-Cookie")).noneMatch(c -> c.startsWith(OperatorSessions.COOKIE));
    }

    @Test
    void aCaAdminSeesTheFiguresTheChartAndTheApisCsv() throws Exception {
        HttpTester.Response login = login("admin", "right-password");
        assertThat(login.getStatus()).isEqualTo(303);
        assertThat(login.get("Location")).isEqualTo("/statistics");
        String cookie = login.getValuesList("Set-Cookie").stream()
                .filter(c -> c.startsWith(OperatorSessions.COOKIE + "=")).findFirst().orElseThrow();
        assertThat(cookie).contains("HttpOnly", "SameSite=Strict", "Path=/").doesNotContain("Secure");
        String session = "Cookie: " + cookie.substring(0, cookie.indexOf(';')) + "\r\n";

        HttpTester.Response page = get("/statistics?" + RANGE + "&lang=en", session);
        HttpTester.Response csv = get("/statistics.csv?" + RANGE, session);

        assertThat(page.getStatus()).isEqualTo(200);
        assertThat(page.getContent()).contains("<svg", "id=\"stats-table\"", "Logged in as admin.",
                "<td data-column=\"issued\">2</td>", "<td data-column=\"revoked\">1</td>",
                "<th scope=\"col\">Issued</th>", "<th scope=\"col\">Revoked</th>",
                "href=\"/statistics.csv?from=2026-11-30&amp;to=2026-12-01&amp;period=day\"").doesNotContain("<script");
        assertThat(csv.getStatus()).isEqualTo(200);
        assertThat(csv.get("Content-Type")).startsWith("text/csv");
        assertThat(csv.getContent()).isEqualTo(StatisticsResource.csv(
                statistics.certificates(ADMIN, "2026-11-30", "2026-12-01", "day", null)));
    }

    @Test
    void badParametersAreShownWithTheApisMessage() throws Exception {
        String session = session("admin");

        HttpTester.Response r = get("/statistics?from=2026-12-01&to=2026-11-01&lang=en", session);

        assertThat(r.getStatus()).isEqualTo(400);
        assertThat(r.getContent()).contains("id=\"error\"", "id=\"stats-form\"").doesNotContain("<svg");
    }

    @Test
    void anOperatorWithoutAReadingRoleIsRefusedByTheStatistics() throws Exception {
        String session = session("clerk");

        HttpTester.Response page = get("/statistics?" + RANGE, session);
        HttpTester.Response csv = get("/statistics.csv?" + RANGE, session);

        assertThat(page.getStatus()).isEqualTo(403);
        assertThat(page.getContent()).contains("reading statistics needs one of the roles");
        assertThat(csv.getStatus()).isEqualTo(403);
        assertThat(csv.getContent()).doesNotContain("issued");
    }

    @Test
    void logoutEndsTheSession() throws Exception {
        String session = session("admin");
        HttpTester.Response page = get("/statistics?lang=en", session);
        String csrf = session + "Cookie: egov_csrf=" + cookieOf(page) + "\r\n";
        Matcher token = TOKEN.matcher(page.getContent());
        assertThat(token.find()).isTrue();

        HttpTester.Response logout = post("/logout", csrf, "csrf=" + token.group(1));

        assertThat(logout.getStatus()).isEqualTo(303);
        assertThat(logout.getValuesList("Set-Cookie")).anyMatch(c -> c.startsWith(OperatorSessions.COOKIE + "=;"));
        assertThat(get("/statistics?lang=en", session).getStatus()).isEqualTo(303);
    }

    @Test
    void anApplicationAdminSeesItsBusinessTypesOnlyAndAnotherTypesSerialIsNotFound() throws Exception {
        String session = session("taxadmin");

        HttpTester.Response list = get("/my/certificates?lang=en", session);
        HttpTester.Response own = get("/my/certificates/a1.pem", session);
        HttpTester.Response other = get("/my/certificates/b2.pem?lang=en", session);
        HttpTester.Response absent = get("/my/certificates/c3.pem?lang=en", session);

        assertThat(list.getStatus()).isEqualTo(200);
        assertThat(list.getContent()).contains("id=\"my-table\"", "<td>a1</td>", "Your business types: tax.")
                .doesNotContain("<td>b2</td>", "health", "subscriber-secret-id");
        assertThat(own.getStatus()).isEqualTo(200);
        assertThat(own.getContent()).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(other.getStatus()).isEqualTo(404);
        assertThat(other.getContent().replace("b2", "c3")).isEqualTo(absent.getContent().replace("b2", "c3"));
    }

    @Test
    void aCaAdminSeesEveryBusinessTypeAndTheListNeedsALogin() throws Exception {
        String session = session("admin");

        HttpTester.Response list = get("/my/certificates", session);

        assertThat(list.getContent()).contains("<td>a1</td>", "<td>b2</td>");
        assertThat(get("/my/certificates", "").getStatus()).isEqualTo(303);
        assertThat(get("/my/certificates/a1.der", "").getStatus()).isEqualTo(303);
    }

    // ---- the second factor ----

    @Test
    void anAdminWithABoundCertificateIsRefusedWithThePasswordAloneAndTheRefusalIsAudited() throws Exception {
        bind("admin");

        HttpTester.Response r = login("admin", "right-password");

        assertThat(r.getStatus()).isEqualTo(403);
        assertThat(r.getContent()).contains("id=\"login-error\"", "This account needs a second factor",
                "TLS client certificate", "id=\"login-form\"");
        assertThat(r.getValuesList("Set-Cookie")).noneMatch(c -> c.startsWith(OperatorSessions.COOKIE));
        AuditEvent refused = audit.get(audit.size() - 1);
        assertThat(refused.type()).isEqualTo(AuditEventType.OPERATOR_SECOND_FACTOR_LOGIN);
        assertThat(refused.outcome()).isEqualTo(AuditOutcome.FAILURE);
        assertThat(refused.details()).containsEntry("operator", "admin");
        assertThat(refused.details().get("reason")).contains("password alone on the pages");
    }

    @Test
    void theRefusalIsInThePageLanguage() throws Exception {
        bind("admin");
        HttpTester.Response form = get("/login?lang=zh", "");
        Matcher token = TOKEN.matcher(form.getContent());
        assertThat(token.find()).isTrue();

        HttpTester.Response r = post("/login", "Cookie: egov_lang=zh\r\nCookie: egov_csrf=" + cookieOf(form) + "\r\n",
                "csrf=" + token.group(1) + "&uid=admin&password=right-password");

        assertThat(r.getStatus()).isEqualTo(403);
        assertThat(r.getContent()).contains("第二因素", "TLS 客户端证书");
    }

    @Test
    void anUnboundAdminLogsInUnderTheGraceAndItsSessionEndsWhenACertificateIsBound() throws Exception {
        String session = session("admin");
        assertThat(audit).anyMatch(e -> e.type() == AuditEventType.OPERATOR_SECOND_FACTOR_GRACE);
        assertThat(get("/my/certificates", session).getStatus()).isEqualTo(200);

        bind("admin");

        HttpTester.Response after = get("/my/certificates", session);
        assertThat(after.getStatus()).isEqualTo(303);
        assertThat(after.get("Location")).isEqualTo("/login");
    }

    @Test
    void anOperatorWhoseRolesNeedNoSecondFactorLogsInWithThePassword() throws Exception {
        bind("clerk");

        HttpTester.Response r = login("clerk", "right-password");

        assertThat(r.getStatus()).isEqualTo(303);
        assertThat(r.getValuesList("Set-Cookie")).anyMatch(c -> c.startsWith(OperatorSessions.COOKIE + "="));
        assertThat(audit).noneMatch(e -> e.type() == AuditEventType.OPERATOR_SECOND_FACTOR_LOGIN);
    }

    @Test
    void anAdminLogsInOverTlsWithItsBoundCertificateOnASessionCheckedAgainOnEveryPage() throws Exception {
        clientCertificate = bind("admin");
        overTls = true;

        HttpTester.Response login = login("admin", "right-password");

        assertThat(login.getStatus()).as(login.getContent()).isEqualTo(303);
        String cookie = login.getValuesList("Set-Cookie").stream()
                .filter(c -> c.startsWith(OperatorSessions.COOKIE + "=")).findFirst().orElseThrow();
        assertThat(cookie).contains("Secure");
        AuditEvent loggedIn = audit.get(audit.size() - 1);
        assertThat(loggedIn.type()).isEqualTo(AuditEventType.OPERATOR_SECOND_FACTOR_LOGIN);
        assertThat(loggedIn.outcome()).isEqualTo(AuditOutcome.SUCCESS);
        assertThat(loggedIn.details()).containsEntry("via", "TLS client certificate").containsEntry("channel", "pages");
        String session = "Cookie: " + cookie.substring(0, cookie.indexOf(';')) + "\r\n";
        assertThat(get("/my/certificates?lang=en", session).getContent()).contains("Logged in as admin.");

        revokeBound("admin");

        HttpTester.Response after = get("/my/certificates?lang=en", session);
        assertThat(after.getStatus()).isEqualTo(303);
        assertThat(after.get("Location")).isEqualTo("/login");
    }

    @Test
    void anotherCertificateThanTheBoundOneDoesNotLogIn() throws Exception {
        bind("admin");
        clientCertificate = WebHandlerTest.certificate();
        overTls = true;

        HttpTester.Response r = login("admin", "right-password");

        assertThat(r.getStatus()).isEqualTo(403);
        assertThat(r.getContent()).contains("This account needs a second factor");
        assertThat(r.getValuesList("Set-Cookie")).noneMatch(c -> c.startsWith(OperatorSessions.COOKIE));
        assertThat(audit.get(audit.size() - 1).details().get("reason")).contains("is not the one bound");
    }

    @Test
    void aTwoFactorSessionEndsAtTheApiTokensLifetimeEvenWhileInUse() throws Exception {
        clientCertificate = bind("admin");
        overTls = true;
        String session = session("admin");

        clock.advance(java.time.Duration.ofMinutes(10));
        assertThat(get("/my/certificates", session).getStatus()).isEqualTo(200);
        clock.advance(java.time.Duration.ofMinutes(6));

        // 6 minutes idle is within the pages' 15, but the second-factor session (15 minutes) is over.
        assertThat(get("/my/certificates", session).getStatus()).isEqualTo(303);
    }

    /** The second factor as shipped (administrative roles), over bindings and certificate records in memory. */
    private SecondFactorLogin secondFactor(OperatorDirectory directory) {
        OperatorCertificateBindings bound = new OperatorCertificateBindings() {
            @Override
            public Optional<String> boundCertificate(String uid) {
                return Optional.ofNullable(bindings.get(uid));
            }

            @Override
            public Optional<String> holderOf(String certificateId) {
                return bindings.entrySet().stream().filter(e -> e.getValue().equals(certificateId))
                        .map(java.util.Map.Entry::getKey).findFirst();
            }

            @Override
            public void bind(String uid, String certificateId) {
                bindings.put(uid, certificateId);
            }
        };
        // The pages only ask which certificate is bound (OperatorCertificates.bound): records are found by id.
        CertificateRecords records = (CertificateRecords) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {CertificateRecords.class}, (proxy, method, args) -> {
                    if (method.getName().equals("find") && args.length == 2) {
                        return Optional.ofNullable(operatorCertificates.get(CertificateRecord.id((String) args[0],
                                (java.math.BigInteger) args[1])));
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        OperatorAccounts accounts = (OperatorAccounts) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {OperatorAccounts.class}, (proxy, method, args) -> {
                    throw new UnsupportedOperationException(method.getName());
                });
        OperatorCertificates certificates = new OperatorCertificates(accounts, bound, records, this::record, clock);
        return new SecondFactorLogin(SecondFactorPolicy.ADMINISTRATIVE_ROLES, certificates, directory, this::record,
                clock, new SecureRandom(), java.time.Duration.ofMinutes(2), java.time.Duration.ofMinutes(15));
    }

    /** Binds a valid operator certificate (of the operator profile) to {@code uid}, as a security admin would. */
    private java.security.cert.X509Certificate bind(String uid) throws Exception {
        java.security.cert.X509Certificate certificate = WebHandlerTest.certificate();
        CertificateRecord device = record("ops", Long.toHexString(0x7000 + bindings.size()), certificate.getEncoded());
        CertificateRecord record = new CertificateRecord(device.issuer(), device.serial(), device.requestId(),
                device.subscriberId(), "CN=Operator,O=Test,C=CN", OperatorCertificates.PROFILE, CertificateType.PERSONAL,
                device.kind(), device.businessType(), device.region(), device.status(), device.issuanceState(), null,
                device.certificateDer(), device.notBefore(), device.notAfter(), "ab", device.notBefore(), 0, null);
        operatorCertificates.put(record.id(), record);
        bindings.put(uid, record.id());
        return certificate;
    }

    /** The certificate bound to {@code uid}, revoked in the records. */
    private void revokeBound(String uid) {
        CertificateRecord r = operatorCertificates.get(bindings.get(uid));
        operatorCertificates.put(r.id(), new CertificateRecord(r.issuer(), r.serial(), r.requestId(), r.subscriberId(),
                r.subjectDn(), r.profile(), r.type(), r.kind(), r.businessType(), r.region(), CertificateStatus.REVOKED,
                r.issuanceState(), null, r.certificateDer(), r.notBefore(), r.notAfter(), "ab", r.notBefore(), 0,
                new org.egovpki.core.certificate.Revocation(clock.instant(),
                        org.egovpki.core.certificate.RevocationReason.KEY_COMPROMISE, null, "uid=ra1",
                        org.egovpki.core.certificate.RevocationChannel.OPERATOR)));
    }

    private long record(AuditEvent event) {
        audit.add(event);
        return audit.size();
    }

    // ---- helpers ----

    private static CertificateRecord record(String businessType, String serialHex, byte[] der) {
        return new CertificateRecord("sm2-issuing", new java.math.BigInteger(serialHex, 16), "req-" + serialHex,
                "subscriber-secret-id", "CN=" + businessType + " device,O=Test,C=CN", "device", CertificateType.DEVICE,
                KeyUsageKind.SIGNING, businessType, "110000", CertificateStatus.VALID, IssuanceState.PUBLISHED, null,
                der, Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z"), "ab",
                Instant.parse("2026-01-01T00:00:00Z"), 0, null);
    }

    private String session(String uid) throws Exception {
        HttpTester.Response login = login(uid, "right-password");
        assertThat(login.getStatus()).isEqualTo(303);
        String cookie = login.getValuesList("Set-Cookie").stream()
                .filter(c -> c.startsWith(OperatorSessions.COOKIE + "=")).findFirst().orElseThrow();
        return "Cookie: " + cookie.substring(0, cookie.indexOf(';')) + "\r\n";
    }

    private HttpTester.Response login(String uid, String password) throws Exception {
        HttpTester.Response form = get("/login?lang=en", "");
        assertThat(form.getStatus()).isEqualTo(200);
        Matcher token = TOKEN.matcher(form.getContent());
        assertThat(token.find()).isTrue();
        return post("/login", "Cookie: egov_lang=en\r\nCookie: egov_csrf=" + cookieOf(form) + "\r\n",
                "csrf=" + token.group(1) + "&uid=" + uid + "&password=" + password);
    }

    private static String cookieOf(HttpTester.Response r) {
        for (String c : r.getValuesList("Set-Cookie")) {
            Matcher m = COOKIE.matcher(c);
            if (m.find()) {
                return m.group(1);
            }
        }
        throw new AssertionError("no CSRF cookie in " + r.getValuesList("Set-Cookie"));
    }

    private HttpTester.Response get(String path, String headers) throws Exception {
        return HttpTester.parseResponse((overTls ? tls : connector).getResponse("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                + headers + "Connection: close\r\n\r\n"));
    }

    private HttpTester.Response post(String path, String headers, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return HttpTester.parseResponse((overTls ? tls : connector).getResponse("POST " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                + headers + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + bytes.length
                + "\r\nConnection: close\r\n\r\n" + body));
    }
}
