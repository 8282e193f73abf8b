package org.egovpki.server.http;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.Fields;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEntry;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditPage;
import org.egovpki.core.audit.AuditQuery;
import org.egovpki.core.audit.AuditReview;

/**
 * {@code GET /audit} and {@code GET /audit/export}: the audit trail for its readers. Who may read,
 * and the audit of every read, are {@link AuditReview}'s; this class only turns the query into an
 * {@link AuditQuery} (refusing what it cannot be: an unknown or repeated parameter, a time that is
 * not ISO-8601 with an offset, an unknown type) and the page into JSON.
 */
final class AuditResource {

    private static final Set<String> READ_PARAMS = Set.of("from", "to", "type", "actor", "subject", "limit", "cursor",
            "order");
    private static final Set<String> EXPORT_PARAMS = Set.of("from", "to");

    private final AuditReview review;

    AuditResource(AuditReview review) {
        this.review = review;
    }

    /** {@code GET /audit?from=&to=&type=&actor=&subject=&limit=&cursor=&order=}. */
    void read(ApiCall call) {
        onlyKnown(call, READ_PARAMS);
        AuditQuery.Order order = orderParam(call);
        AuditQuery query = new AuditQuery(time(call, "from"), time(call, "to"),
                QueryParams.enumParam(call, "type", AuditEventType.class, null), text(call, "actor"),
                text(call, "subject"), QueryParams.intParam(call, "limit", AuditQuery.DEFAULT_LIMIT,
                AuditQuery.MIN_LIMIT, AuditQuery.MAX_LIMIT), text(call, "cursor"), order);
        AuditPage page = review.read(query, call.operator());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entries", page.entries().stream().map(AuditResource::view).toList());
        body.put("next", page.next());
        call.json(200, body);
    }

    /** {@code GET /audit/export?from=&to=}: the signed bundle, {@code application/zip}. */
    void export(ApiCall call) {
        onlyKnown(call, EXPORT_PARAMS);
        Instant from = time(call, "from");
        Instant to = time(call, "to");
        byte[] bundle = review.export(from, to, call.operator());
        call.header(HttpHeader.CONTENT_DISPOSITION, "attachment; filename=\"audit-export.zip\"");
        call.bytes(200, "application/zip", bundle);
    }

    /** The entry's fields as written, by an allow-list (the trail's own {@code prev} hash is not an entry field). */
    private static Map<String, Object> view(AuditEntry e) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("sequence", e.sequence());
        v.put("time", e.time().toString());
        v.put("type", e.type());
        v.put("actor", e.actor());
        v.put("subjects", e.subjects());
        v.put("details", e.details());
        v.put("outcome", e.outcome());
        return v;
    }

    private static AuditQuery.Order orderParam(ApiCall call) {
        String value = call.query("order");
        if (value == null || "newest".equals(value)) {
            return AuditQuery.Order.NEWEST_FIRST;
        }
        if ("oldest".equals(value)) {
            return AuditQuery.Order.OLDEST_FIRST;
        }
        throw DomainException.badRequest("order", "order must be newest (the default) or oldest, not '" + value + "'");
    }

    private static void onlyKnown(ApiCall call, Set<String> known) {
        Fields fields = call.queryFields();
        for (String name : fields.getNames()) {
            if (!known.contains(name)) {
                throw DomainException.badRequest(name, "unknown query parameter '" + name + "'; allowed: "
                        + known.stream().sorted().toList());
            }
            List<String> values = fields.getValues(name);
            if (values.size() > 1) {
                throw DomainException.badRequest(name, name + " is given " + values.size() + " times; give it once");
            }
        }
    }

    private static String text(ApiCall call, String name) {
        return call.query(name);
    }

    /** An ISO-8601 time with its offset ({@code 2026-12-01T00:00:00Z}, {@code 2026-12-01T08:00:00+08:00}). */
    private static Instant time(ApiCall call, String name) {
        String value = call.query(name);
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw DomainException.badRequest(name, name + " must be an ISO-8601 time with an offset, e.g. "
                    + "2026-12-01T00:00:00Z or 2026-12-01T08:00:00+08:00, not '" + value + "'");
        }
    }
}
