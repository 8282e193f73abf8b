package org.egovpki.core.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.egovpki.core.DomainException;
import org.egovpki.core.ca.MovableClock;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;
import org.egovpki.core.stats.StatisticsSource.CertificateFact;
import org.egovpki.core.stats.StatisticsSource.RequestFact;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatisticsTest {

    private static final Operator ADMIN = new Operator("admin", "uid=admin", "Admin", Set.of(Role.CA_ADMIN));
    private static final Operator CLERK = new Operator("clerk", "uid=clerk", "Clerk", Set.of(Role.ENTRY_CLERK));
    private static final Operator TAX_ADMIN = new Operator("tax", "uid=tax", "Tax", Set.of(Role.APPLICATION_ADMIN),
            Set.of("TAX"));

    /** 2026-12-03 10:00 in Shanghai. */
    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-03T02:00:00Z"));
    private final FakeSource source = new FakeSource();
    private final MemoryStore store = new MemoryStore();

    private Statistics statistics() {
        return new Statistics(source, store, clock, Statistics.DEFAULT_ZONE);
    }

    @Test
    void aCertificateCountsOnItsShanghaiDayAcrossTheUtcMidnight() {
        source.certificates.add(cert("tax", "2026-12-01T15:59:59Z")); // 23:59:59 on 1 Dec in Shanghai
        source.certificates.add(cert("tax", "2026-12-01T16:00:00Z")); // 00:00:00 on 2 Dec in Shanghai

        StatisticsTable t = statistics().certificates(ADMIN, "2026-12-01", "2026-12-02", "day", null);

        assertThat(t.rows()).extracting(StatisticsTable.Row::start, r -> t.value(r, "issued"), r -> t.value(r, "valid"))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(LocalDate.parse("2026-12-01"), 1L, 1L),
                        org.assertj.core.groups.Tuple.tuple(LocalDate.parse("2026-12-02"), 1L, 2L));
    }

    @Test
    void theFactsAreCountedAsTheSourceStreamsThemNeverAsOneList() {
        source.certificates.add(cert("tax", "2026-12-01T02:00:00Z"));
        source.certificates.add(revoked(cert("tax", "2026-12-01T02:00:00Z"), "2026-12-02T02:00:00Z", "KEY_COMPROMISE"));
        // A directory of a million records is read page by page: a list of them all would be ~250 MB.
        StatisticsSource streaming = new StatisticsSource() {
            @Override
            public List<CertificateFact> certificates(Instant from, Instant to) {
                throw new AssertionError("the statistics asked for every certificate fact at once");
            }

            @Override
            public void forEachCertificate(Instant from, Instant to, java.util.function.Consumer<CertificateFact> sink) {
                source.certificates(from, to).forEach(sink);
            }

            @Override
            public List<RequestFact> requests(Instant from, Instant to) {
                return source.requests(from, to);
            }

            @Override
            public List<RequestFact> undecided(int limit) {
                return source.undecided(limit);
            }
        };

        StatisticsTable t = new Statistics(streaming, store, clock, Statistics.DEFAULT_ZONE)
                .certificates(ADMIN, "2026-12-01", "2026-12-02", "day", "");

        assertThat(t.rows()).extracting(r -> t.value(r, "issued"), r -> t.value(r, "revoked"), r -> t.value(r, "valid"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2L, 0L, 2L),
                        org.assertj.core.groups.Tuple.tuple(0L, 1L, 1L));
    }

    @Test
    void revocationsAreCountedByCauseAndLeaveTheValidCount() {
        source.certificates.add(cert("tax", "2026-12-01T02:00:00Z"));
        source.certificates.add(revoked(cert("tax", "2026-12-01T02:00:00Z"), "2026-12-02T02:00:00Z", "KEY_COMPROMISE"));
        source.certificates.add(revoked(cert("tax", "2026-12-01T02:00:00Z"), "2026-12-02T03:00:00Z", "HOLDER_REQUEST"));
        source.certificates.add(revoked(cert("tax", "2026-12-01T02:00:00Z"), "2026-12-02T04:00:00Z", "HOLDER_REQUEST"));
        Statistics statistics = statistics();

        StatisticsTable byCause = statistics.certificates(ADMIN, "2026-12-01", "2026-12-03", "month", "cause");
        StatisticsTable total = statistics.certificates(ADMIN, "2026-12-02", "2026-12-02", "day", "");

        assertThat(byCause.columns()).containsExactly("revoked");
        assertThat(byCause.rows()).extracting(StatisticsTable.Row::group, r -> byCause.value(r, "revoked"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("HOLDER_REQUEST", 2L),
                        org.assertj.core.groups.Tuple.tuple("KEY_COMPROMISE", 1L));
        StatisticsTable.Row day = total.rows().get(0);
        assertThat(total.value(day, "issued")).isZero();
        assertThat(total.value(day, "revoked")).isEqualTo(3);
        assertThat(total.value(day, "valid")).isEqualTo(1);
    }

    @Test
    void anExpiredCertificateLeavesTheValidCountOnItsLastDayUnlessRevokedBefore() {
        source.certificates.add(new CertificateFact("tax", "410000", "INDIVIDUAL", true,
                Instant.parse("2026-11-01T02:00:00Z"), Instant.parse("2026-12-02T02:00:00Z"), null, null));
        source.certificates.add(new CertificateFact("tax", "410000", "INDIVIDUAL", true,
                Instant.parse("2026-11-01T02:00:00Z"), Instant.parse("2026-12-02T02:00:00Z"),
                Instant.parse("2026-11-20T02:00:00Z"), "JOB_CHANGE"));
        source.certificates.add(new CertificateFact("tax", "410000", "INDIVIDUAL", false, // an intent never signed
                Instant.parse("2026-11-01T02:00:00Z"), Instant.parse("2027-12-02T02:00:00Z"), null, null));

        StatisticsTable t = statistics().certificates(ADMIN, "2026-12-01", "2026-12-02", "day", null);

        assertThat(t.rows()).extracting(r -> t.value(r, "expired"), r -> t.value(r, "valid"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0L, 1L), org.assertj.core.groups.Tuple.tuple(1L, 0L));
    }

    @Test
    void weeksStartOnMondayAndMonthsOnTheFirstClippedToTheRange() {
        source.certificates.add(cert("tax", "2026-11-29T02:00:00Z")); // Sunday
        source.certificates.add(cert("tax", "2026-11-30T02:00:00Z")); // Monday
        Statistics statistics = statistics();

        StatisticsTable weeks = statistics.certificates(ADMIN, "2026-11-27", "2026-12-03", "week", null);
        StatisticsTable months = statistics.certificates(ADMIN, "2026-11-27", "2026-12-03", "month", null);

        assertThat(weeks.rows()).extracting(StatisticsTable.Row::start, StatisticsTable.Row::end, r -> weeks.value(r, "issued"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(LocalDate.parse("2026-11-27"), LocalDate.parse("2026-11-29"), 1L),
                        org.assertj.core.groups.Tuple.tuple(LocalDate.parse("2026-11-30"), LocalDate.parse("2026-12-03"), 1L));
        assertThat(months.rows()).extracting(StatisticsTable.Row::end, r -> months.value(r, "issued"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(LocalDate.parse("2026-11-30"), 2L),
                        org.assertj.core.groups.Tuple.tuple(LocalDate.parse("2026-12-03"), 0L));
    }

    @Test
    void renewalsCountTheCertificatesIssuedForRenewalRequests() {
        source.requests.add(new RequestFact("RENEWAL", "ISSUED", "tax", "410000", "INDIVIDUAL",
                Instant.parse("2026-12-02T01:00:00Z"), Instant.parse("2026-12-02T01:00:00Z"),
                Instant.parse("2026-12-02T01:00:01Z"), 2));

        StatisticsTable t = statistics().certificates(ADMIN, "2026-12-02", "2026-12-02", "day", "businessType");

        assertThat(t.value(t.rows().get(0), "renewed")).isEqualTo(2);
        assertThat(t.rows().get(0).group()).isEqualTo("tax");
    }

    @Test
    void efficiencyGivesNearestRankMedianAndP90AndTheReviewRuleBreaches() {
        Instant submitted = Instant.parse("2026-11-30T00:00:00Z");
        for (int hours : new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 50}) {
            source.requests.add(new RequestFact("NEW", "ISSUED", "tax", "410000", "INDIVIDUAL", submitted.minus(Duration.ofHours(hours)),
                    submitted, submitted.plusSeconds(60), 1));
        }
        source.requests.add(new RequestFact("NEW", "CANCELLED", "tax", "410000", "INDIVIDUAL", submitted.minus(Duration.ofHours(99)),
                submitted, null, 0));
        source.undecided.add(new RequestFact("NEW", "SUBMITTED", "tax", "410000", "INDIVIDUAL",
                clock.instant().minus(Duration.ofHours(49)), null, null, 0));
        source.undecided.add(new RequestFact("NEW", "SUBMITTED", "tax", "410000", "INDIVIDUAL",
                clock.instant().minus(Duration.ofHours(47)), null, null, 0));

        StatisticsTable t = statistics().efficiency(ADMIN, "2026-11-30", "2026-11-30", "day", null);

        StatisticsTable.Row r = t.rows().get(0);
        assertThat(t.value(r, "decided")).isEqualTo(10);
        assertThat(t.value(r, "decisionMedianSeconds")).isEqualTo(5 * 3600);
        assertThat(t.value(r, "decisionP90Seconds")).isEqualTo(9 * 3600);
        assertThat(t.value(r, "slaBreaches")).isEqualTo(1);
        assertThat(t.value(r, "issued")).isEqualTo(10);
        assertThat(t.value(r, "issuanceMedianSeconds")).isEqualTo(5 * 3600 + 60);
        assertThat(t.summary()).containsEntry("undecidedOverdue", 1L);
    }

    @Test
    void efficiencyOfNoRequestsHasNoMedian() {
        StatisticsTable t = statistics().efficiency(ADMIN, "2026-12-01", "2026-12-01", "day", null);

        assertThat(t.value(t.rows().get(0), "decisionMedianSeconds")).isNull();
        assertThat(t.value(t.rows().get(0), "decided")).isZero();
    }

    @Test
    void closedDaysAreStoredOnceAndReadBackAfterARestart() {
        source.certificates.add(cert("tax", "2026-12-01T02:00:00Z"));
        statistics().refresh();
        assertThat(store.days).containsOnlyKeys(LocalDate.parse("2026-12-01"), LocalDate.parse("2026-12-02"));
        int searches = source.searches;

        source.certificates.clear(); // the restarted server finds the closed days in the store, not by searching
        Statistics restarted = statistics();
        StatisticsTable t = restarted.certificates(ADMIN, "2026-12-01", "2026-12-03", "day", null);

        assertThat(t.rows()).extracting(r -> t.value(r, "issued")).containsExactly(1L, 0L, 0L);
        assertThat(source.searches - searches).as("only today is searched after a restart").isEqualTo(1);
        assertThat(source.ranges.get(source.ranges.size() - 1))
                .isEqualTo(List.of(Instant.parse("2026-12-02T16:00:00Z"), clock.instant()));
    }

    @Test
    void eachDayThatEndsIsClosedFromItsOwnRangeOnly() {
        Statistics statistics = statistics();
        statistics.refresh();
        source.certificates.add(cert("tax", "2026-12-03T03:00:00Z"));
        clock.set(Instant.parse("2026-12-05T01:00:00Z"));

        statistics.refresh();

        assertThat(store.days.get(LocalDate.parse("2026-12-03")).counts()).hasSize(1);
        assertThat(store.days).containsKey(LocalDate.parse("2026-12-04"));
        assertThat(source.ranges).contains(List.of(Instant.parse("2026-12-02T16:00:00Z"), Instant.parse("2026-12-03T16:00:00Z")),
                List.of(Instant.parse("2026-12-03T16:00:00Z"), Instant.parse("2026-12-04T16:00:00Z")));
    }

    @Test
    void concurrentIssuanceAddsUp() throws Exception {
        Statistics statistics = statistics();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int i = 0; i < 200; i++) {
            int n = i;
            pool.execute(() -> {
                source.certificates.add(cert(n % 2 == 0 ? "tax" : "health", "2026-12-03T01:00:00Z"));
                if (n % 10 == 0) {
                    statistics.refresh();
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        statistics.refresh();

        StatisticsTable t = statistics.certificates(ADMIN, "2026-12-03", "2026-12-03", "day", "businessType");

        assertThat(t.rows()).extracting(StatisticsTable.Row::group, r -> t.value(r, "issued"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("health", 100L),
                        org.assertj.core.groups.Tuple.tuple("tax", 100L));
    }

    @Test
    void anApplicationAdminSeesOnlyItsBusinessTypes() {
        source.certificates.add(cert("tax", "2026-12-02T02:00:00Z"));
        source.certificates.add(cert("health", "2026-12-02T02:00:00Z"));
        source.certificates.add(cert(null, "2026-12-02T02:00:00Z"));
        Statistics statistics = statistics();

        StatisticsTable grouped = statistics.certificates(TAX_ADMIN, "2026-12-02", "2026-12-02", "day", "businessType");
        StatisticsTable total = statistics.certificates(TAX_ADMIN, "2026-12-02", "2026-12-02", "day", null);

        assertThat(grouped.rows()).extracting(StatisticsTable.Row::group).containsExactly("tax");
        assertThat(total.value(total.rows().get(0), "issued")).isEqualTo(1);
    }

    @Test
    void aRoleWithoutStatisticsIsRefused() {
        assertThatThrownBy(() -> statistics().certificates(CLERK, null, null, null, null))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.FORBIDDEN))
                .hasMessageContaining("reading statistics needs one of the roles");
        assertThat(store.days).isEmpty();
    }

    @Test
    void badParametersAreRefusedByName() {
        Statistics statistics = statistics();
        assertBad(() -> statistics.certificates(ADMIN, "2026-13-01", null, null, null), "from", "is not a date; use YYYY-MM-DD");
        assertBad(() -> statistics.certificates(ADMIN, "2026-12-02", "2026-12-01", null, null), "from", "from 2026-12-02 is after to 2026-12-01");
        assertBad(() -> statistics.certificates(ADMIN, "2024-01-01", "2026-12-01", "day", null), "to", "at most 366 with period=day");
        assertBad(() -> statistics.certificates(ADMIN, "2000-01-01", "2026-12-01", "month", null), "to", "at most 3660");
        assertBad(() -> statistics.certificates(ADMIN, null, null, "year", null), "period", "period 'year' is not one of day, week, month");
        assertBad(() -> statistics.certificates(ADMIN, null, null, null, "colour"), "groupBy", "groupBy 'colour' is not one of");
        assertBad(() -> statistics.efficiency(ADMIN, null, null, null, "cause"), "groupBy", "groupBy=cause applies to certificates only");
        assertThat(store.days).as("nothing computed or stored for a refused question").isEmpty();
    }

    @ParameterizedTest(name = "from={0} to={1}")
    @CsvSource(nullValues = "-", value = {
            "-,                  +999999999-12-31, to",
            "-,                  -999999999-01-01, to",
            "+999999999-12-30,   +999999999-12-31, to",
            "1899-12-31,         1900-01-01,       from",
            "9999-12-31,         +10000-01-01,     to",
    })
    void aDateOutsideTheYears1900To9999IsRefusedByNameForEveryTable(String from, String to, String field) {
        Statistics statistics = statistics();
        String message = "is outside the dates statistics cover, 1900-01-01 to 9999-12-31";
        assertBad(() -> statistics.certificates(ADMIN, from, to, null, null), field, message);
        assertBad(() -> statistics.efficiency(ADMIN, from, to, null, null), field, message);
        assertThat(store.days).as("nothing computed or stored for a refused question").isEmpty();
    }

    @Test
    void theEdgesOfTheCoveredDatesAreAnswered() {
        Statistics statistics = statistics();

        assertThat(statistics.certificates(ADMIN, "1900-01-01", "1900-01-31", null, null).rows()).hasSize(31);
        assertThat(statistics.efficiency(ADMIN, "9999-12-01", "9999-12-31", "month", null).rows()).hasSize(1);
    }

    @Test
    void theDefaultRangeIsTheLastThirtyDays() {
        StatisticsTable t = statistics().certificates(ADMIN, null, null, null, null);

        assertThat(t.query().to()).isEqualTo(LocalDate.parse("2026-12-03"));
        assertThat(t.query().from()).isEqualTo(LocalDate.parse("2026-11-04"));
        assertThat(t.rows()).hasSize(30);
    }

    @Test
    void dayFiguresSurviveTheirStoredFormWhateverTheValues() {
        DayFigures f = new DayFigures.Builder()
                .add(new DayFigures.Key(Metric.ISSUED, new Cell("a|b=c,d%", "41 00", "INDIVIDUAL", null)), 3)
                .sample(new DayFigures.Key(Metric.DECISION_SECONDS, new Cell("税务", null, "ORGANIZATION", null)), 60)
                .sample(new DayFigures.Key(Metric.DECISION_SECONDS, new Cell("税务", null, "ORGANIZATION", null)), 7200)
                .build();

        assertThat(DayFigures.parse(f.lines())).isEqualTo(f);
        assertThatThrownBy(() -> DayFigures.parse(List.of("ISSUED|tax=3")))
                .hasMessageContaining("statistics line 'ISSUED|tax=3' is not METRIC|businessType|region|type|cause=value");
    }

    private static void assertBad(Runnable call, String field, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(DomainException.class, e -> {
            assertThat(e.kind()).isEqualTo(DomainException.Kind.BAD_REQUEST);
            assertThat(e.field()).isEqualTo(field);
        }).hasMessageContaining(message);
    }

    private static CertificateFact cert(String businessType, String created) {
        Instant at = Instant.parse(created);
        return new CertificateFact(businessType, "410000", "INDIVIDUAL", true, at, at.plus(Duration.ofDays(365)), null, null);
    }

    private static CertificateFact revoked(CertificateFact c, String at, String cause) {
        return new CertificateFact(c.businessType(), c.region(), c.type(), true, c.createdAt(), c.notAfter(),
                Instant.parse(at), cause);
    }

    /** Answers range questions from lists, as the directory's indexed searches would. */
    static final class FakeSource implements StatisticsSource {
        final ConcurrentLinkedQueue<CertificateFact> certificates = new ConcurrentLinkedQueue<>();
        final List<RequestFact> requests = Collections.synchronizedList(new ArrayList<>());
        final List<RequestFact> undecided = new ArrayList<>();
        final List<List<Instant>> ranges = Collections.synchronizedList(new ArrayList<>());
        volatile int searches;

        @Override
        public List<CertificateFact> certificates(Instant from, Instant to) {
            searches++;
            ranges.add(List.of(from, to));
            return certificates.stream().filter(c -> in(c.createdAt(), from, to) || in(c.revokedAt(), from, to)
                    || in(c.notAfter(), from, to)).toList();
        }

        @Override
        public List<RequestFact> requests(Instant from, Instant to) {
            synchronized (requests) {
                return requests.stream().filter(r -> in(r.decidedAt(), from, to) || in(r.issuedAt(), from, to)).toList();
            }
        }

        @Override
        public List<RequestFact> undecided(int limit) {
            return List.copyOf(undecided);
        }

        private static boolean in(Instant t, Instant from, Instant to) {
            return t != null && !t.isBefore(from) && t.isBefore(to);
        }
    }

    static final class MemoryStore implements StatisticsStore {
        final SortedMap<LocalDate, DayFigures> days = Collections.synchronizedSortedMap(new TreeMap<>());

        @Override
        public SortedMap<LocalDate, DayFigures> closedDays() {
            return new TreeMap<>(days);
        }

        @Override
        public void store(LocalDate day, DayFigures figures) {
            days.put(day, DayFigures.parse(figures.lines()));
        }
    }
}
