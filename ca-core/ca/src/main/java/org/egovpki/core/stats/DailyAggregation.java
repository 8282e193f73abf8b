package org.egovpki.core.stats;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.egovpki.core.stats.StatisticsSource.CertificateFact;
import org.egovpki.core.stats.StatisticsSource.RequestFact;

/**
 * Turns records into per-day figures: each event (issued, revoked, expired, decided, issued for a
 * request) counts on the calendar day, in the statistics' time zone, on which it happened, and only
 * if it happened in {@code [from, to)}. Pure: the same facts give the same figures.
 */
final class DailyAggregation {

    /** The review rule: a request is decided within 48 hours of its submission (REQUIREMENTS §5). */
    static final Duration REVIEW_LIMIT = Duration.ofHours(48);

    private DailyAggregation() {
    }

    static Map<LocalDate, DayFigures> aggregate(ZoneId zone, Instant from, Instant to,
                                                Collection<CertificateFact> certificates,
                                                Collection<RequestFact> requests) {
        Days days = new Days(zone, from, to);
        certificates.forEach(days::certificate);
        requests.forEach(days::request);
        return days.figures();
    }

    /**
     * The figures of {@code [from, to)} counted one fact at a time, so a source can stream a
     * million certificate records through it (the first fill of a large directory) without holding
     * them all: a list of a million facts is ~250 MB of heap. Not thread-safe.
     */
    static final class Days {

        private final ZoneId zone;
        private final Instant from;
        private final Instant to;
        private final Map<LocalDate, DayFigures.Builder> days = new HashMap<>();

        Days(ZoneId zone, Instant from, Instant to) {
            this.zone = zone;
            this.from = from;
            this.to = to;
        }

        void certificate(CertificateFact c) {
            Cell cell = new Cell(c.businessType(), c.region(), c.type(), null);
            if (c.issued() && within(c.createdAt(), from, to)) {
                day(days, zone, c.createdAt()).add(new DayFigures.Key(Metric.ISSUED, cell), 1);
            }
            if (c.revokedAt() != null && within(c.revokedAt(), from, to)) {
                Cell byCause = new Cell(c.businessType(), c.region(), c.type(), c.revocationCause());
                day(days, zone, c.revokedAt()).add(new DayFigures.Key(Metric.REVOKED, byCause), 1);
            }
            boolean revokedBefore = c.revokedAt() != null && c.revokedAt().isBefore(c.notAfter());
            if (c.issued() && !revokedBefore && within(c.notAfter(), from, to)) {
                day(days, zone, c.notAfter()).add(new DayFigures.Key(Metric.EXPIRED, cell), 1);
            }
        }

        void request(RequestFact r) {
            if (r.submittedAt() == null) {
                return; // not a request egov-pki wrote (every one it writes has its submission time)
            }
            Cell cell = new Cell(r.businessType(), r.region(), r.type(), null);
            boolean reviewed = "APPROVED".equals(r.state()) || "ISSUED".equals(r.state()) || "REJECTED".equals(r.state());
            if (reviewed && r.decidedAt() != null && within(r.decidedAt(), from, to)) {
                Duration waited = Duration.between(r.submittedAt(), r.decidedAt());
                DayFigures.Builder b = day(days, zone, r.decidedAt());
                b.add(new DayFigures.Key(Metric.DECIDED, cell), 1);
                b.sample(new DayFigures.Key(Metric.DECISION_SECONDS, cell), Math.max(0, waited.toSeconds()));
                if (waited.compareTo(REVIEW_LIMIT) > 0) {
                    b.add(new DayFigures.Key(Metric.SLA_BREACHED, cell), 1);
                }
            }
            if (r.issuedAt() != null && within(r.issuedAt(), from, to)) {
                DayFigures.Builder b = day(days, zone, r.issuedAt());
                b.sample(new DayFigures.Key(Metric.ISSUANCE_SECONDS, cell),
                        Math.max(0, Duration.between(r.submittedAt(), r.issuedAt()).toSeconds()));
                if ("RENEWAL".equals(r.kind())) {
                    b.add(new DayFigures.Key(Metric.RENEWED, cell), Math.max(1, r.certificates()));
                }
            }
        }

        Map<LocalDate, DayFigures> figures() {
            Map<LocalDate, DayFigures> result = new TreeMap<>();
            days.forEach((d, b) -> result.put(d, b.build()));
            return result;
        }
    }

    private static boolean within(Instant t, Instant from, Instant to) {
        return t != null && !t.isBefore(from) && t.isBefore(to);
    }

    private static DayFigures.Builder day(Map<LocalDate, DayFigures.Builder> days, ZoneId zone, Instant t) {
        return days.computeIfAbsent(LocalDate.ofInstant(t, zone), d -> new DayFigures.Builder());
    }
}
