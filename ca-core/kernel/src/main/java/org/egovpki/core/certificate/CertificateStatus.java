package org.egovpki.core.certificate;

/** A certificate's status (REQUIREMENTS §5). HOLD exists only if enabled in configuration. */
public enum CertificateStatus {
    VALID,
    REVOKED,
    EXPIRED,
    HOLD
}
