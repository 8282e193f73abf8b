package org.egovpki.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.SearchScope;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.egovpki.core.DomainException;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.CertificateStatus;
import org.egovpki.core.certificate.IssuanceState;
import org.egovpki.core.certificate.Revocation;
import org.egovpki.core.certificate.RevocationChannel;
import org.egovpki.core.certificate.RevocationReason;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;
import org.egovpki.core.profile.CertificateType;
import org.egovpki.core.profile.KeyUsageKind;
import org.egovpki.core.stats.Statistics;
import org.egovpki.core.stats.StatisticsTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The statistics against the real embedded directory: closed days stored under ou=statistics and
 * read back by a restarted service, concurrent issuance counted in full, nothing visible to
 * anonymous readers or operators, and application admins' business types on their entries.
 */
class LdapStatisticsIT {

    /** 2026-12-03 10:00 in Shanghai. */
    private static final Instant NOW = Instant.parse("2026-12-03T02:00:00Z");
    private static final Operator ADMIN = new Operator("admin", "uid=admin", "Admin", Set.of(Role.CA_ADMIN));
    private static final AtomicInteger SERIALS = new AtomicInteger(1000);

    @TempDir
    static Path work;

    private static TestDirectory directory;
    private static LDAPConnectionPool ca;
    private static LdapCertificateStore certificates;

    @BeforeAll
    static void start() throws Exception {
        directory = TestDirectory.start(work);
        LDAPConnection first = directory.ca();
        ca = new LDAPConnectionPool(first, 4);
        certificates = new LdapCertificateStore(ca, directory.names());
    }

    @AfterAll
    static void stop() {
        if (ca != null) {
            ca.close();
        }
        if (directory != null) {
            directory.close();
        }
    }

    private static Statistics statistics(Instant now) {
        return new Statistics(new LdapStatisticsSource(ca, directory.names()),
                new LdapStatisticsStore(ca, directory.names()), Clock.fixed(now, ZoneOffset.UTC), Statistics.DEFAULT_ZONE);
    }

    @Test
    void closedDaysAreStoredAndARestartedServiceReadsThemBackConcurrentIssuanceIncluded() throws Exception {
        CertificateRecord revoked = issue("tax", Instant.parse("2026-12-01T15:59:00Z")); // 1 Dec, 23:59 in Shanghai
        issue("health", Instant.parse("2026-12-01T16:01:00Z")); // 2 Dec, 00:01 in Shanghai
        assertThat(certificates.revoke(revoked, new Revocation(Instant.parse("2026-12-02T03:00:00Z"),
                RevocationReason.KEY_COMPROMISE, null, "uid=ra", RevocationChannel.OPERATOR))).isTrue();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<CertificateRecord>> concurrent = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            concurrent.add(pool.submit(() -> issue("tax", Instant.parse("2026-12-02T04:00:00Z"))));
        }
        for (Future<CertificateRecord> f : concurrent) {
            f.get();
        }
        pool.shutdown();

        statistics(NOW).refresh();

        try (LDAPConnection admin = directory.admin()) {
            assertThat(admin.search("ou=statistics," + TestDirectory.BASE, SearchScope.ONE,
                    Filter.createEqualityFilter("objectClass", "egovDailyStatistics"), "egovStatisticsDay").getEntryCount())
                    .as("1 and 2 December closed").isEqualTo(2);
        }
        Statistics restarted = statistics(NOW.plus(Duration.ofMinutes(5)));
        StatisticsTable t = restarted.certificates(ADMIN, "2026-12-01", "2026-12-02", "day", "businessType");
        assertThat(t.rows()).extracting(r -> r.start() + " " + r.group() + " issued=" + t.value(r, "issued")
                        + " revoked=" + t.value(r, "revoked") + " valid=" + t.value(r, "valid"))
                .containsExactly("2026-12-01 health issued=0 revoked=0 valid=0",
                        "2026-12-01 tax issued=1 revoked=0 valid=1",
                        "2026-12-02 health issued=1 revoked=0 valid=1",
                        "2026-12-02 tax issued=20 revoked=1 valid=20");
        StatisticsTable causes = restarted.certificates(ADMIN, "2026-12-02", "2026-12-02", "day", "cause");
        assertThat(causes.rows()).extracting(StatisticsTable.Row::group).containsExactly("KEY_COMPROMISE");

        neitherAnonymousNorOperatorsSeeTheStatistics();
    }

    /** Run on the days the test above stored (a day once closed is final, so one test writes them). */
    private static void neitherAnonymousNorOperatorsSeeTheStatistics() throws Exception {
        String day = directory.names().statisticsDay(LocalDate.parse("2026-12-02").toString()).toString();
        try (LDAPConnection admin = directory.admin()) {
            assertThat(admin.getEntry(day)).as("the admin sees the stored day").isNotNull();
        }
        LDAPConnection anonymous = directory.anonymous();
        LDAPConnection operator = directory.operator("stats-reader", Role.AUDITOR);
        for (LDAPConnection reader : List.of(anonymous, operator)) {
            assertThat(reader.getEntry(day)).isNull();
            assertThat(count(reader, "(objectClass=egovDailyStatistics)")).isZero();
            assertThat(count(reader, "(egovStatisticsDay=2026-12-02)")).isZero();
        }
    }

    @Test
    void anApplicationAdminKeepsItsBusinessTypesAndNeedsOne() throws Exception {
        LdapOperatorDirectory operators = directory.operators();
        operators.create("app-tax", "Tax app admin", EnumSet.of(Role.APPLICATION_ADMIN), Set.of("tax", "customs"),
                "Tax-admin-pass-1".toCharArray());

        Operator read = operators.authenticate("app-tax", "Tax-admin-pass-1".toCharArray()).orElseThrow();
        assertThat(read.roles()).containsExactly(Role.APPLICATION_ADMIN);
        assertThat(read.businessTypes()).containsExactlyInAnyOrder("tax", "customs");

        assertThatThrownBy(() -> operators.create("app-none", "No scope", EnumSet.of(Role.APPLICATION_ADMIN), Set.of(),
                "No-scope-pass-1".toCharArray()))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.BAD_REQUEST))
                .hasMessageContaining("APPLICATION_ADMIN needs at least one business type");
        assertThatThrownBy(() -> operators.create("clerk-scoped", "Scoped clerk", EnumSet.of(Role.ENTRY_CLERK),
                Set.of("tax"), "Scoped-clerk-pass-1".toCharArray()))
                .hasMessageContaining("a business type scopes only the role APPLICATION_ADMIN");
        assertThat(operators.findByUid("app-none")).isEmpty();
        assertThat(operators.findByUid("clerk-scoped")).isEmpty();
    }

    @Test
    void anApplicationAdminInAnLdapBrowserReadsNoRequestAndAddsNoDecisionWhereOtherOperatorsDo() throws Exception {
        LdapOperatorDirectory operators = directory.operators();
        operators.create("app-health", "Health app admin", EnumSet.of(Role.APPLICATION_ADMIN), Set.of("health"),
                "Health-admin-pass-1".toCharArray());
        String id = "r-browser-1";
        String request = directory.names().request(id).toString();
        ca.add(new Entry(request, List.of(new Attribute("objectClass", "top", "egovEnrollmentRequest"),
                new Attribute("egovRequestId", id), new Attribute("egovRequestState", "SUBMITTED"),
                new Attribute("egovConfirmedState", "SUBMITTED"),
                new Attribute("egovEnteredBy", "uid=clerk,ou=operators," + TestDirectory.BASE))));
        LDAPConnection reviewer = directory.operator("browser-reviewer", Role.REVIEWER);
        try (LDAPConnection appAdmin = new LDAPConnection("127.0.0.1", directory.port())) {
            appAdmin.bind(directory.operatorDn("app-health").toString(), "Health-admin-pass-1");

            assertThat(reviewer.getEntry(request)).as("an ordinary operator reads requests").isNotNull();
            assertThat(appAdmin.getEntry(request)).isNull();
            assertThat(count(appAdmin, "(objectClass=egovEnrollmentRequest)")).isZero();
            Entry decision = new Entry(directory.names().decision(id, "app-health-1").toString(), List.of(
                    new Attribute("objectClass", "top", "egovRequestDecision"),
                    new Attribute("egovDecisionId", "app-health-1"), new Attribute("egovDecision", "APPROVED")));
            assertThatThrownBy(() -> appAdmin.add(decision)).isInstanceOf(LDAPException.class);
        }
    }

    private static long count(LDAPConnection reader, String filter) throws Exception {
        try {
            return reader.search(TestDirectory.BASE, SearchScope.SUB, filter, "1.1").getEntryCount();
        } catch (LDAPSearchException e) {
            return e.getEntryCount();
        }
    }

    private static CertificateRecord issue(String businessType, Instant at) {
        CertificateRecord r = new CertificateRecord("issuing", BigInteger.valueOf(SERIALS.incrementAndGet()), "r-1",
                "s-1", "CN=Test,C=CN", "personal", CertificateType.PERSONAL, KeyUsageKind.SIGNING, businessType, "410000",
                CertificateStatus.VALID, IssuanceState.PUBLISHED, new byte[] {0x30, 0}, null, at,
                at.plus(Duration.ofDays(365)), null, at, 0, null);
        assertThat(certificates.writeIntent(r)).isTrue();
        return r;
    }
}
