package org.egovpki.core.ca;

/**
 * The durable steps of one issuance, in order. {@link IssuanceObserver} is told after each, which
 * is how tests simulate a crash between any two of them.
 */
public enum IssuanceStep {
    /** The serial is reserved and the TBSCertificate stored (INTENT). */
    INTENT_WRITTEN,
    /** The certificate is signed, in memory only. */
    SIGNED,
    /** The signed certificate is in its record (RECORDED, status VALID). */
    RECORDED,
    /** The subscriber entry holds the certificate (or opted out) and the record says PUBLISHED. */
    PUBLISHED,
    /**
     * The certificate a rekey, modification or replacement follows is revoked as superseded. Only
     * those kinds reach it; a new application or renewal goes from PUBLISHED to COMPLETED.
     */
    SUPERSEDED,
    /** The request says ISSUED with its serials. */
    COMPLETED
}
