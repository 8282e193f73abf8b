package org.egovpki.core.certificate;

/**
 * Where a certificate is in the issuance cycle (write intent before signing). Every step is one
 * directory write, so after a crash the record says exactly what is left to do:
 * <ul>
 *   <li>{@code INTENT} — serial reserved and the exact TBSCertificate stored; not yet signed, or
 *       signed but the signature never left the process. Recovery signs the stored TBS.</li>
 *   <li>{@code RECORDED} — the signed certificate is in the record (status VALID).</li>
 *   <li>{@code PUBLISHED} — published to the subscriber entry (or deliberately not: opt-out).</li>
 *   <li>{@code VOID} — abandoned; the serial stays reserved forever and is never reused.</li>
 * </ul>
 */
public enum IssuanceState {
    INTENT,
    RECORDED,
    PUBLISHED,
    VOID
}
