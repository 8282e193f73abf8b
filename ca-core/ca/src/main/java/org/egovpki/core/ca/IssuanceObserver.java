package org.egovpki.core.ca;

import org.egovpki.core.certificate.CertificateRecord;

/**
 * Told after each durable step of an issuance. Production uses {@link #NONE}; the crash-recovery
 * tests throw from a chosen step to stop issuance exactly there, as a killed process would.
 */
@FunctionalInterface
public interface IssuanceObserver {

    IssuanceObserver NONE = (step, record) -> { };

    void reached(IssuanceStep step, CertificateRecord record);
}
