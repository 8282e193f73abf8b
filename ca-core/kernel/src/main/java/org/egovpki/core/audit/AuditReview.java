package org.egovpki.core.audit;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.egovpki.core.DomainException;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;

/**
 * Who may read the audit trail, and the rule that every read is itself audited (REQUIREMENTS §7:
 * "readable by auditor and business admin only"). Readers are the auditor, whose whole role is
 * this, and the business administrators of each context — CA, RA and KM business admin — who
 * answer for what their operators did; operating roles (clerks, reviewers, KM operators),
 * custodians and the technical admins do not read the evidence about themselves.
 *
 * <p>The event recording the read is written <em>before</em> the trail is read: if it cannot be
 * written the read does not happen, and the read's own event is part of what the reader sees. A
 * refused read is audited as a FAILURE and nothing is read.
 */
public final class AuditReview {

    /** The roles that may read and export the trail. */
    public static final Set<Role> READERS = Set.copyOf(EnumSet.of(Role.AUDITOR, Role.CA_ADMIN, Role.RA_ADMIN,
            Role.KM_BUSINESS_ADMIN));

    private final AuditTrailReader trail;
    private final AuditLog audit;
    private final Clock clock;

    public AuditReview(AuditTrailReader trail, AuditLog audit, Clock clock) {
        this.trail = Objects.requireNonNull(trail, "trail");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Whether {@code operator} may read the trail. */
    public static boolean mayRead(Operator operator) {
        return operator.roles().stream().anyMatch(READERS::contains);
    }

    /** One page of the trail, after recording the read with the reader and the filter. */
    public AuditPage read(AuditQuery query, Operator reader) {
        Objects.requireNonNull(query, "query");
        Map<String, String> details = query.describe();
        check(reader, AuditEventType.AUDIT_TRAIL_READ, details, "read");
        // A cursor the reader cannot follow is the caller's mistake, refused before it is audited as a read.
        trail.check(query);
        audit.record(AuditEvent.success(clock.instant(), AuditEventType.AUDIT_TRAIL_READ, reader.dn(), List.of(),
                details));
        return trail.read(query);
    }

    /**
     * The signed archive bundle for {@code from} (inclusive) to {@code to} (exclusive), after
     * recording the export with the reader and the period.
     */
    public byte[] export(Instant from, Instant to, Operator reader) {
        if (from == null || to == null) {
            throw DomainException.badRequest(from == null ? "from" : "to", "an export needs a period: from and to "
                    + "(ISO-8601 times, to after from)");
        }
        if (!from.isBefore(to)) {
            throw DomainException.badRequest("to", "to (" + to + ") must be after from (" + from + ")");
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("from", from.toString());
        details.put("to", to.toString());
        check(reader, AuditEventType.AUDIT_TRAIL_EXPORTED, details, "export");
        audit.record(AuditEvent.success(clock.instant(), AuditEventType.AUDIT_TRAIL_EXPORTED, reader.dn(), List.of(),
                details));
        return trail.export(from, to, reader.dn());
    }

    private void check(Operator reader, AuditEventType type, Map<String, String> details, String what) {
        Objects.requireNonNull(reader, "reader");
        if (mayRead(reader)) {
            return;
        }
        Map<String, String> refused = new LinkedHashMap<>(details);
        refused.put("reason", "role");
        audit.record(AuditEvent.failure(clock.instant(), type, reader.dn(), List.of(), refused));
        throw new DomainException(DomainException.Kind.FORBIDDEN, "operator " + reader.uid() + " may not " + what
                + " the audit trail: only an auditor or a business admin (CA_ADMIN, RA_ADMIN, KM_BUSINESS_ADMIN) may");
    }
}
