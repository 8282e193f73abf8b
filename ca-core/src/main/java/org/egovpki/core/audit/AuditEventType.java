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
    /** A CA certified a delegated OCSP responder key (ocsp.signer: delegated). */
    OCSP_RESPONDER_ISSUED
}
