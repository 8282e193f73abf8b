package org.egovpki.core.stats;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.egovpki.core.DomainException;
import org.egovpki.core.operator.ApplicationScope;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;
import org.egovpki.core.stats.StatisticsSource.RequestFact;

/**
 * Decision-support statistics (001 §6.4.1.4, §6.4.3.4): certificates issued, renewed, revoked (by
 * cause), expired and valid, and the service's efficiency, by business type, region, certificate
 * type and period.
 *
 * <p>A periodic aggregate, not a scan per question: {@link #refresh()} (the statistics route, every
 * minute) closes each finished day once — its figures computed from indexed range searches on the
 * records' times and stored in the directory ({@link StatisticsStore}) — and recomputes the current
 * day from midnight. The first refresh after a start reads the stored days back; the first refresh
 * ever buckets every existing record once. Questions are answered from the in-memory days alone.
 * Because every figure is recomputed from the records rather than counted as events happen,
 * concurrent issuance and a restart cannot make the counts drift.
 *
 * <p>Who may read: super, CA and RA admins and auditors see everything; an
 * {@link Role#APPLICATION_ADMIN} only the figures of its business types ({@link ApplicationScope}).
 */
public final class Statistics {

    /** The zone whose calendar days the figures are counted in, unless configured otherwise. */
    public static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Shanghai");
    /** Roles that may read statistics. */
    static final Set<Role> READERS = EnumSet.of(Role.SUPER_ADMIN, Role.CA_ADMIN, Role.RA_ADMIN, Role.AUDITOR,
            Role.APPLICATION_ADMIN);
    /** At most this many undecided requests are looked at for the overdue figure. */
    static final int UNDECIDED_LIMIT = 10_000;

    static final List<String> CERTIFICATE_COLUMNS = List.of("issued", "renewed", "revoked", "expired", "valid");
    static final List<String> CAUSE_COLUMNS = List.of("revoked");
    static final List<String> EFFICIENCY_COLUMNS = List.of("decided", "decisionMedianSeconds", "decisionP90Seconds",
            "issued", "issuanceMedianSeconds", "issuanceP90Seconds", "slaBreaches");

    private final StatisticsSource source;
    private final StatisticsStore store;
    private final Clock clock;
    private final ZoneId zone;

    /** Closed days; guarded by {@code this}. */
    private final TreeMap<LocalDate, DayFigures> closed = new TreeMap<>();
    private boolean loaded;
    private volatile Snapshot snapshot;

    /** The days as last computed (the closed ones and today's), and the undecided requests then overdue. */
    private record Snapshot(SortedMap<LocalDate, DayFigures> days, LocalDate today, Instant asOf,
                            Map<Cell, Long> overdue) {
    }

    public Statistics(StatisticsSource source, StatisticsStore store, Clock clock, ZoneId zone) {
        this.source = Objects.requireNonNull(source, "source");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    /** The zone the days are counted in. */
    public ZoneId zone() {
        return zone;
    }

    /**
     * Closes the days finished since the last refresh (stores their figures) and recomputes today's.
     * Idempotent; one refresh at a time.
     */
    public synchronized void refresh() {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, zone);
        if (!loaded) {
            closed.putAll(store.closedDays());
            loaded = true;
        }
        if (closed.isEmpty()) {
            fillFirstTime(today);
        }
        for (LocalDate day = closed.lastKey().plusDays(1); day.isBefore(today); day = day.plusDays(1)) {
            close(day, figuresOf(startOf(day), startOf(day.plusDays(1))).getOrDefault(day, DayFigures.EMPTY));
        }
        TreeMap<LocalDate, DayFigures> days = new TreeMap<>(closed.headMap(today));
        days.put(today, figuresOf(startOf(today), now).getOrDefault(today, DayFigures.EMPTY));
        snapshot = new Snapshot(Collections.unmodifiableSortedMap(days), today, now, overdue(now));
    }

    /** The first refresh ever: every record before today bucketed once, every day from the first stored. */
    private void fillFirstTime(LocalDate today) {
        Map<LocalDate, DayFigures> all = figuresOf(Instant.EPOCH, startOf(today));
        LocalDate yesterday = today.minusDays(1);
        LocalDate first = all.isEmpty() ? yesterday : Collections.min(all.keySet());
        for (LocalDate day = first.isAfter(yesterday) ? yesterday : first; !day.isAfter(yesterday); day = day.plusDays(1)) {
            close(day, all.getOrDefault(day, DayFigures.EMPTY));
        }
    }

    private void close(LocalDate day, DayFigures figures) {
        store.store(day, figures);
        closed.put(day, figures);
    }

    private Map<LocalDate, DayFigures> figuresOf(Instant from, Instant to) {
        DailyAggregation.Days days = new DailyAggregation.Days(zone, from, to);
        source.forEachCertificate(from, to, days::certificate);
        source.requests(from, to).forEach(days::request);
        return days.figures();
    }

    private Map<Cell, Long> overdue(Instant now) {
        Instant limit = now.minus(DailyAggregation.REVIEW_LIMIT);
        Map<Cell, Long> overdue = new HashMap<>();
        for (RequestFact r : source.undecided(UNDECIDED_LIMIT)) {
            if (r.submittedAt() != null && r.submittedAt().isBefore(limit)) { // an entry without one is not ours to judge
                overdue.merge(new Cell(r.businessType(), r.region(), r.type(), null), 1L, Long::sum);
            }
        }
        return Map.copyOf(overdue);
    }

    private Instant startOf(LocalDate day) {
        return day.atStartOfDay(zone).toInstant();
    }

    /** Today in the statistics' zone. */
    public LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), zone);
    }

    /**
     * {@code GET /statistics/certificates}: per period and group, certificates issued, renewed,
     * revoked and expired in the period and valid at its end; with {@code groupBy=cause}, only the
     * revocations, by cause.
     *
     * @throws DomainException FORBIDDEN for a role that may not read statistics, BAD_REQUEST for bad parameters
     */
    public StatisticsTable certificates(Operator operator, String from, String to, String period, String groupBy) {
        ApplicationScope scope = readerScope(operator);
        StatisticsQuery q = StatisticsQuery.parse(from, to, period, groupBy, today());
        Snapshot s = current();
        boolean byCause = q.groupBy() == GroupBy.CAUSE;
        List<String> columns = byCause ? CAUSE_COLUMNS : CERTIFICATE_COLUMNS;
        Map<String, Long> valid = new HashMap<>();
        TreeSet<String> groups = new TreeSet<>();
        List<Map<String, long[]>> periods = new ArrayList<>();
        List<Map<String, Long>> validAtEnd = new ArrayList<>();
        for (Map.Entry<LocalDate, DayFigures> day : s.days().headMap(q.from()).entrySet()) {
            apply(day.getValue(), scope, q.groupBy(), valid, null);
        }
        for (LocalDate p = q.from(); !p.isAfter(q.to()); p = q.period().end(p).plusDays(1)) {
            Map<String, long[]> counts = new HashMap<>();
            LocalDate end = clippedEnd(q, p);
            for (LocalDate d = p; !d.isAfter(end); d = d.plusDays(1)) {
                DayFigures f = s.days().get(d);
                if (f != null) {
                    apply(f, scope, q.groupBy(), valid, counts);
                }
            }
            groups.addAll(counts.keySet());
            valid.forEach((g, n) -> {
                if (n != 0) {
                    groups.add(g);
                }
            });
            periods.add(counts);
            validAtEnd.add(Map.copyOf(valid));
        }
        if (q.groupBy() == GroupBy.NONE) {
            groups.add("all");
        }
        List<StatisticsTable.Row> rows = new ArrayList<>();
        int i = 0;
        for (LocalDate p = q.from(); !p.isAfter(q.to()); p = q.period().end(p).plusDays(1), i++) {
            for (String g : groups) {
                long[] c = periods.get(i).getOrDefault(g, new long[4]);
                List<Long> values = byCause ? List.of(c[2])
                        : List.of(c[0], c[1], c[2], c[3], validAtEnd.get(i).getOrDefault(g, 0L));
                rows.add(new StatisticsTable.Row(p, clippedEnd(q, p), g, values));
            }
        }
        return new StatisticsTable("certificates", q, zone, s.asOf(), columns, rows, Map.of());
    }

    /** Adds a day's certificate counts to the period's (when given) and moves the running valid count. */
    private static void apply(DayFigures f, ApplicationScope scope, GroupBy groupBy, Map<String, Long> valid,
                              Map<String, long[]> counts) {
        for (Map.Entry<DayFigures.Key, Long> e : f.counts().entrySet()) {
            Cell cell = e.getKey().cell();
            if (!scope.sees(cell.businessTypeOrNull())) {
                continue;
            }
            int column = switch (e.getKey().metric()) {
                case ISSUED -> 0;
                case RENEWED -> 1;
                case REVOKED -> 2;
                case EXPIRED -> 3;
                default -> -1;
            };
            if (column < 0 || (groupBy == GroupBy.CAUSE && column != 2)) {
                continue;
            }
            String group = cell.value(groupBy);
            long n = e.getValue();
            if (groupBy != GroupBy.CAUSE && column != 1) {
                valid.merge(group, column == 0 ? n : -n, Long::sum);
            }
            if (counts != null) {
                counts.computeIfAbsent(group, g -> new long[4])[column] += n;
            }
        }
    }

    /**
     * {@code GET /statistics/efficiency}: per period and group, requests decided and issued, the
     * median and 90th percentile (nearest rank) of the seconds from submission to decision and to
     * issuance, and decisions later than 48 hours; the summary adds the undecided requests overdue now.
     *
     * @throws DomainException FORBIDDEN for a role that may not read statistics, BAD_REQUEST for bad parameters
     */
    public StatisticsTable efficiency(Operator operator, String from, String to, String period, String groupBy) {
        ApplicationScope scope = readerScope(operator);
        StatisticsQuery q = StatisticsQuery.parse(from, to, period, groupBy, today());
        if (q.groupBy() == GroupBy.CAUSE) {
            throw DomainException.badRequest("groupBy", "groupBy=cause applies to certificates only; use "
                    + "businessType, region or type");
        }
        Snapshot s = current();
        record Acc(long[] counts, List<Long> decision, List<Long> issuance) {
        }
        List<Map<String, Acc>> periods = new ArrayList<>();
        TreeSet<String> groups = new TreeSet<>();
        for (LocalDate p = q.from(); !p.isAfter(q.to()); p = q.period().end(p).plusDays(1)) {
            Map<String, Acc> acc = new HashMap<>();
            for (LocalDate d = p; !d.isAfter(clippedEnd(q, p)); d = d.plusDays(1)) {
                DayFigures f = s.days().get(d);
                if (f == null) {
                    continue;
                }
                f.counts().forEach((k, n) -> {
                    if (scope.sees(k.cell().businessTypeOrNull())
                            && (k.metric() == Metric.DECIDED || k.metric() == Metric.SLA_BREACHED)) {
                        acc.computeIfAbsent(k.cell().value(q.groupBy()), g -> new Acc(new long[2], new ArrayList<>(),
                                new ArrayList<>())).counts()[k.metric() == Metric.DECIDED ? 0 : 1] += n;
                    }
                });
                f.samples().forEach((k, v) -> {
                    if (scope.sees(k.cell().businessTypeOrNull())) {
                        Acc a = acc.computeIfAbsent(k.cell().value(q.groupBy()), g -> new Acc(new long[2],
                                new ArrayList<>(), new ArrayList<>()));
                        (k.metric() == Metric.DECISION_SECONDS ? a.decision() : a.issuance()).addAll(v);
                    }
                });
            }
            groups.addAll(acc.keySet());
            periods.add(acc);
        }
        if (q.groupBy() == GroupBy.NONE) {
            groups.add("all");
        }
        List<StatisticsTable.Row> rows = new ArrayList<>();
        int i = 0;
        for (LocalDate p = q.from(); !p.isAfter(q.to()); p = q.period().end(p).plusDays(1), i++) {
            for (String g : groups) {
                Acc a = periods.get(i).getOrDefault(g, new Acc(new long[2], List.of(), List.of()));
                List<Long> values = new ArrayList<>();
                values.add(a.counts()[0]);
                values.add(percentile(a.decision(), 50));
                values.add(percentile(a.decision(), 90));
                values.add((long) a.issuance().size());
                values.add(percentile(a.issuance(), 50));
                values.add(percentile(a.issuance(), 90));
                values.add(a.counts()[1]);
                rows.add(new StatisticsTable.Row(p, clippedEnd(q, p), g, values));
            }
        }
        long overdue = s.overdue().entrySet().stream().filter(e -> scope.sees(e.getKey().businessTypeOrNull()))
                .mapToLong(Map.Entry::getValue).sum();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("reviewLimitHours", DailyAggregation.REVIEW_LIMIT.toHours());
        summary.put("undecidedOverdue", overdue);
        return new StatisticsTable("efficiency", q, zone, s.asOf(), EFFICIENCY_COLUMNS, rows, summary);
    }

    /** The nearest-rank percentile of seconds, or {@code null} for no samples. */
    static Long percentile(List<Long> samples, int percent) {
        if (samples.isEmpty()) {
            return null;
        }
        List<Long> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private static LocalDate clippedEnd(StatisticsQuery q, LocalDate periodStart) {
        LocalDate end = q.period().end(periodStart);
        return end.isAfter(q.to()) ? q.to() : end;
    }

    private static ApplicationScope readerScope(Operator operator) {
        if (operator.roles().stream().noneMatch(READERS::contains)) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "reading statistics needs one of the roles "
                    + new TreeSet<>(READERS.stream().map(Enum::name).toList()));
        }
        return ApplicationScope.of(operator);
    }

    /** The figures as last refreshed; computed now if no refresh has run yet (the route's first firing). */
    private Snapshot current() {
        Snapshot s = snapshot;
        if (s == null) {
            refresh();
            s = snapshot;
        }
        return s;
    }

    /** For tests and logs: how long ago the figures were computed. */
    Duration age() {
        Snapshot s = snapshot;
        return s == null ? null : Duration.between(s.asOf(), clock.instant());
    }
}
