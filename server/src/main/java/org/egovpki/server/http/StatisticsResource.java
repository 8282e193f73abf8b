package org.egovpki.server.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.egovpki.core.DomainException;
import org.egovpki.core.stats.Statistics;
import org.egovpki.core.stats.StatisticsTable;

/**
 * {@code /statistics}: the decision-support figures (docs/statistics.md) as JSON, or as CSV with
 * {@code format=csv} or {@code Accept: text/csv}. Who sees what, the parameters' checks and the
 * figures are {@link Statistics}'s; this class only turns its tables into the two formats.
 */
public final class StatisticsResource {

    private final Statistics statistics;

    StatisticsResource(Statistics statistics) {
        this.statistics = statistics;
    }

    /** {@code GET /statistics/certificates?from=&to=&period=&groupBy=&format=}. */
    void certificates(ApiCall call) {
        answer(call, statistics().certificates(call.operator(), call.query("from"), call.query("to"),
                call.query("period"), call.query("groupBy")));
    }

    /** {@code GET /statistics/efficiency?from=&to=&period=&groupBy=&format=}. */
    void efficiency(ApiCall call) {
        answer(call, statistics().efficiency(call.operator(), call.query("from"), call.query("to"),
                call.query("period"), call.query("groupBy")));
    }

    private void answer(ApiCall call, StatisticsTable table) {
        if (csv(call)) {
            String name = "egov-pki-" + table.figures() + "-" + table.query().from() + "-" + table.query().to() + ".csv";
            call.header(HttpHeader.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"");
            call.bytes(200, Csv.MEDIA_TYPE, csv(table).getBytes(StandardCharsets.UTF_8));
        } else {
            call.json(200, json(table));
        }
    }

    /** CSV when {@code format=csv}, JSON when {@code format=json}; without it, CSV if the client accepts only that. */
    private static boolean csv(ApiCall call) {
        String format = call.query("format");
        if (format != null) {
            return switch (format.toLowerCase(Locale.ROOT)) {
                case "csv" -> true;
                case "json" -> false;
                default -> throw DomainException.badRequest("format", "format '" + format + "' is not json or csv");
            };
        }
        String accept = call.requestHeader(HttpHeader.ACCEPT);
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("text/csv")
                && !accept.toLowerCase(Locale.ROOT).contains("application/json");
    }

    static Map<String, Object> json(StatisticsTable t) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("figures", t.figures());
        v.put("from", t.query().from().toString());
        v.put("to", t.query().to().toString());
        v.put("period", t.query().period().name().toLowerCase(Locale.ROOT));
        v.put("groupBy", t.query().groupBy().parameter());
        v.put("zone", t.zone().getId());
        v.put("asOf", t.asOf().toString());
        v.put("columns", t.columns());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (StatisticsTable.Row r : t.rows()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("start", r.start().toString());
            row.put("end", r.end().toString());
            row.put("group", r.group());
            for (int i = 0; i < t.columns().size(); i++) {
                row.put(t.columns().get(i), r.values().get(i));
            }
            rows.add(row);
        }
        v.put("rows", rows);
        v.put("summary", t.summary());
        return v;
    }

    /** The figures as CSV, as the API serves them; the statistics pages' download reuses it. */
    public static String csv(StatisticsTable t) {
        List<String> header = new ArrayList<>(List.of("start", "end", t.query().groupBy().parameter()));
        header.addAll(t.columns());
        List<List<String>> rows = new ArrayList<>();
        for (StatisticsTable.Row r : t.rows()) {
            List<String> row = new ArrayList<>(List.of(r.start().toString(), r.end().toString(), r.group()));
            r.values().forEach(value -> row.add(value == null ? null : value.toString()));
            rows.add(row);
        }
        return Csv.of(header, rows);
    }

    private Statistics statistics() {
        if (statistics == null) {
            throw DomainException.unavailable("statistics are not available on this server", null);
        }
        return statistics;
    }
}
