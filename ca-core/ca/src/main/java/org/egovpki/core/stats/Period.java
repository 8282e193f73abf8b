package org.egovpki.core.stats;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.egovpki.core.DomainException;

/** The length of one row of a statistics table: a calendar day, ISO week (Monday first) or month. */
public enum Period {
    DAY,
    WEEK,
    MONTH;

    /** The first day of the period that holds {@code day}. */
    public LocalDate start(LocalDate day) {
        return switch (this) {
            case DAY -> day;
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> day.withDayOfMonth(1);
        };
    }

    /** The last day of the period that holds {@code day}. */
    public LocalDate end(LocalDate day) {
        return switch (this) {
            case DAY -> day;
            case WEEK -> day.with(TemporalAdjusters.nextOrSame(DayOfWeek.SUNDAY));
            case MONTH -> day.with(TemporalAdjusters.lastDayOfMonth());
        };
    }

    /** The period a parameter names ({@code day}, {@code week}, {@code month}); {@code null} is DAY. */
    public static Period parse(String text) {
        if (text == null || text.isEmpty()) {
            return DAY;
        }
        for (Period p : values()) {
            if (p.name().equalsIgnoreCase(text)) {
                return p;
            }
        }
        throw DomainException.badRequest("period", "period '" + text + "' is not one of "
                + Arrays.stream(values()).map(p -> p.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }
}
