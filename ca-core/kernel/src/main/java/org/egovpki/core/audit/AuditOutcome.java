package org.egovpki.core.audit;

/** Whether the audited action succeeded. Failures are audited too (REQUIREMENTS §7). */
public enum AuditOutcome {
    SUCCESS,
    FAILURE
}
