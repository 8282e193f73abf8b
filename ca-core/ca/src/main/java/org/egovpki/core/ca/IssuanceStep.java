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
    /**
     * The subscriber entry holds the certificate; its record is still INTENT. Not reached for a
     * subscriber that opted out of publication (nothing is written between signing and the record).
     */
    ENTRY_PUBLISHED,
    /**
     * The record holds the certificate and says PUBLISHED (status VALID), in one write. Records
     * of older versions may say RECORDED (certificate stored, not yet published); recovery
     * publishes them and reaches this step too.
     */
    PUBLISHED,
    /**
     * The certificate a rekey, modification or replacement follows is revoked as superseded. Only
     * those kinds reach it; a new application or renewal goes from PUBLISHED to COMPLETED.
     */
    SUPERSEDED,
    /** The request says ISSUED with its serials. */
    COMPLETED
}
