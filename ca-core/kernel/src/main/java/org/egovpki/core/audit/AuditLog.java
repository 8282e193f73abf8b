package org.egovpki.core.audit;

/**
 * The audit trail seam. Lifecycle and operator events go here as structured records, never
 * through SLF4J: operational logs are for operators, the audit trail is evidence for auditors.
 *
 * <p>{@link #record} returns only once the event is durably stored; a store that cannot record
 * throws, and the caller treats that as a failure of the audited action (an unaudited CA
 * operation is not allowed to happen silently).
 */
public interface AuditLog {

    /**
     * Stores one event durably.
     *
     * @return the sequence number the store assigned
     */
    long record(AuditEvent event);
}
