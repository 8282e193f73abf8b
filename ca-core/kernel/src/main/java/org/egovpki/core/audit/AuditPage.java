package org.egovpki.core.audit;

import java.util.List;

/**
 * One page of a read of the audit trail.
 *
 * @param entries the entries, in the order asked for
 * @param next    the cursor for the page after this one, or {@code null} if this is the last
 */
public record AuditPage(List<AuditEntry> entries, String next) {

    public AuditPage {
        entries = List.copyOf(entries);
    }
}
