package org.egovpki.directory;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.egovpki.core.DomainException;
import org.egovpki.core.stats.DayFigures;
import org.egovpki.core.stats.StatisticsStore;
import org.egovpki.schema.DirectoryLayout;

/**
 * The closed days of the statistics under {@code ou=statistics}: one {@code egovDailyStatistics}
 * entry per day, its figures one {@code egovStatisticsFigure} value each (the lines of
 * {@link DayFigures}). Written by the CA service account only; operators and anonymous readers see
 * none of it (no access control grants it: docs/directory.md).
 */
public final class LdapStatisticsStore implements StatisticsStore {

    static final String OBJECT_CLASS = "egovDailyStatistics";
    static final String DAY = "egovStatisticsDay";
    static final String FIGURE = "egovStatisticsFigure";

    private final LDAPInterface ldap;
    private final DirectoryNames names;

    public LdapStatisticsStore(LDAPInterface ldap, DirectoryNames names) {
        this.ldap = Objects.requireNonNull(ldap, "ldap");
        this.names = Objects.requireNonNull(names, "names");
    }

    @Override
    public SortedMap<LocalDate, DayFigures> closedDays() {
        SortedMap<LocalDate, DayFigures> days = new TreeMap<>();
        try {
            for (SearchResultEntry e : ldap.search(names.container(DirectoryLayout.Container.STATISTICS).toString(),
                    SearchScope.ONE, Filter.createEqualityFilter("objectClass", OBJECT_CLASS), DAY, FIGURE)
                    .getSearchEntries()) {
                String day = e.getAttributeValue(DAY);
                try {
                    days.put(LocalDate.parse(day), DayFigures.parse(LdapValues.values(e, FIGURE)));
                } catch (DateTimeParseException | IllegalArgumentException bad) {
                    throw DomainException.internal("statistics entry " + e.getDN() + " is damaged: " + bad.getMessage()
                            + "; delete it and the next refresh computes the day again", bad);
                }
            }
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("reading the stored statistics", e);
        }
        return days;
    }

    @Override
    public void store(LocalDate day, DayFigures figures) {
        String dn = names.statisticsDay(day.toString()).toString();
        String[] lines = figures.lines().toArray(String[]::new);
        List<Attribute> attributes = new ArrayList<>();
        attributes.add(new Attribute("objectClass", "top", OBJECT_CLASS));
        attributes.add(new Attribute(DAY, day.toString()));
        if (lines.length > 0) {
            attributes.add(new Attribute(FIGURE, lines));
        }
        try {
            ldap.add(new Entry(dn, attributes));
        } catch (LDAPException e) {
            if (e.getResultCode() != ResultCode.ENTRY_ALREADY_EXISTS) {
                throw LdapErrors.toDomain("storing the statistics of " + day, e);
            }
            replace(dn, day, lines);
        }
    }

    private void replace(String dn, LocalDate day, String[] lines) {
        try {
            ldap.modify(dn, new Modification(ModificationType.REPLACE, FIGURE, lines));
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("replacing the statistics of " + day, e);
        }
    }
}
