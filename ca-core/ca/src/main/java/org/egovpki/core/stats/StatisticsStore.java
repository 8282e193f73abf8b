package org.egovpki.core.stats;

import java.time.LocalDate;
import java.util.SortedMap;

/**
 * The closed days' figures, kept in the directory ({@code egovStatisticsDay=<date>,ou=statistics};
 * {@code LdapStatisticsStore}). A closed day never changes, so a restart reads them back instead
 * of computing them again.
 */
public interface StatisticsStore {

    /** Every stored day, in date order. */
    SortedMap<LocalDate, DayFigures> closedDays();

    /** Stores a closed day, replacing what was stored for it (so a repeated close is harmless). */
    void store(LocalDate day, DayFigures figures);
}
