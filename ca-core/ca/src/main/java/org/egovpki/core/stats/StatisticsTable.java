package org.egovpki.core.stats;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer to a statistics query: one row per period and group, its values in the order of
 * {@link #columns()} (a value is {@code null} where there is nothing to measure, e.g. the median of
 * no decisions), and figures for the whole query in {@link #summary()}.
 *
 * @param figures "certificates" or "efficiency"
 * @param asOf    when the figures were last computed
 */
public record StatisticsTable(String figures, StatisticsQuery query, ZoneId zone, Instant asOf, List<String> columns,
                              List<Row> rows, Map<String, Object> summary) {

    /** One period of one group; {@code start..end} is the period clipped to the query's range. */
    public record Row(LocalDate start, LocalDate end, String group, List<Long> values) {
        public Row {
            values = Collections.unmodifiableList(new ArrayList<>(values));
        }

        /** The value of a column, or {@code null}. */
        public Long value(List<String> columns, String column) {
            int i = columns.indexOf(column);
            if (i < 0) {
                throw new IllegalArgumentException("no column " + column + " in " + columns);
            }
            return values.get(i);
        }
    }

    public StatisticsTable {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
        summary = Collections.unmodifiableMap(new LinkedHashMap<>(summary));
    }

    /** The rows of one group, in period order. */
    public List<Row> rowsOf(String group) {
        return rows.stream().filter(r -> r.group().equals(group)).toList();
    }

    /** A value of a row, by column name. */
    public Long value(Row row, String column) {
        return row.value(columns, column);
    }
}
