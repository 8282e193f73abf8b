package org.egovpki.core.stats;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.egovpki.core.DomainException;

/**
 * A checked statistics question: the days {@code from..to} (inclusive, calendar days of the
 * statistics' zone), the period of a row and the grouping.
 */
public record StatisticsQuery(LocalDate from, LocalDate to, Period period, GroupBy groupBy) {

    /** The longest range a day-by-day table may cover. */
    public static final int MAX_DAYS_DAILY = 366;
    /** The longest range a weekly or monthly table may cover (ten years). */
    public static final int MAX_DAYS = 3_660;
    /**
     * The first and last day a question may name. {@link LocalDate} reaches year ±999,999,999, where
     * stepping a day past the end no longer exists; no certificate of this CA falls outside these years.
     */
    public static final LocalDate FIRST_DAY = LocalDate.of(1900, 1, 1);
    public static final LocalDate LAST_DAY = LocalDate.of(9999, 12, 31);
    /** The range when {@code from} is not given: the last 30 days up to {@code to}. */
    static final int DEFAULT_DAYS = 30;

    /**
     * Checks the query parameters as given.
     *
     * @param today the statistics' current day, the default {@code to}
     * @throws DomainException BAD_REQUEST naming the parameter and what is allowed
     */
    public static StatisticsQuery parse(String from, String to, String period, String groupBy, LocalDate today) {
        LocalDate end = to == null || to.isEmpty() ? today : date("to", to);
        LocalDate start = from == null || from.isEmpty() ? end.minusDays(DEFAULT_DAYS - 1) : date("from", from);
        if (start.isAfter(end)) {
            throw DomainException.badRequest("from", "from " + start + " is after to " + end);
        }
        Period p = Period.parse(period);
        long days = ChronoUnit.DAYS.between(start, end) + 1;
        int max = p == Period.DAY ? MAX_DAYS_DAILY : MAX_DAYS;
        if (days > max) {
            throw DomainException.badRequest("to", "the range " + start + ".." + end + " is " + days
                    + " days; at most " + max + " with period=" + p.name().toLowerCase(Locale.ROOT)
                    + (p == Period.DAY ? " (use period=week or month for longer ranges)" : ""));
        }
        return new StatisticsQuery(start, end, p, GroupBy.parse(groupBy));
    }

    private static LocalDate date(String field, String text) {
        LocalDate date;
        try {
            date = LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw DomainException.badRequest(field, field + " '" + text + "' is not a date; use YYYY-MM-DD");
        }
        if (date.isBefore(FIRST_DAY) || date.isAfter(LAST_DAY)) {
            throw DomainException.badRequest(field, field + " " + date + " is outside the dates statistics cover, "
                    + FIRST_DAY + " to " + LAST_DAY);
        }
        return date;
    }
}
