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
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw DomainException.badRequest(field, field + " '" + text + "' is not a date; use YYYY-MM-DD");
        }
    }
}
