package org.egovpki.core.audit;

/**
 * The lifecycle and operator events the CA records (REQUIREMENTS §7). Grows with the features;
 * an event type is never renamed once written, because auditors search archived trails by it.
 */
public enum AuditEventType {
    SERVER_START,
    SERVER_STOP,
    CA_CREATED,
    CA_PUBLISHED,
    CRL_ISSUED,
    OPERATOR_CREATED,
    REQUEST_SUBMITTED,
    REQUEST_APPROVED,
    REQUEST_REJECTED,
    REQUEST_CANCELLED,
    CERTIFICATE_ISSUED,
    CERTIFICATE_PUBLISHED,
    ISSUANCE_RECOVERED,
    ISSUANCE_VOIDED,
    CERTIFICATE_REVOKED,
    CERTIFICATE_UNPUBLISHED,
    CRL_ISSUE_FAILED,
    /** A renewal (same key) was asked for; the issuance follows as CERTIFICATE_ISSUED. */
    RENEWAL_REQUESTED,
    /** A rekey (new key, proven by the old one) was asked for. */
    REKEY_REQUESTED,
    /** A modification (changed data) was entered; it waits for review like an application. */
    MODIFICATION_REQUESTED,
    /** A replacement (lost or damaged medium) was asked for. */
    REPLACEMENT_REQUESTED,
    /** A CA certified a delegated OCSP responder key (ocsp.signer: delegated). */
    OCSP_RESPONDER_ISSUED,
    /** An issuing CA's own certificate was revoked (it then appears in its root's ARL). */
    CA_REVOKED
}
