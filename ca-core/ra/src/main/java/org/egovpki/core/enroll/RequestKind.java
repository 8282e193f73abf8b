package org.egovpki.core.enroll;

/**
 * What a request asks for (REQUIREMENTS §5, stored as {@code egovRequestKind}). Every kind but
 * {@link #NEW} names the certificate it follows ({@code egovOriginalSerial}).
 */
public enum RequestKind {
    /** A first application. */
    NEW,
    /** Same key, same data, new validity (001 §6.2.6, 002 §3.6.2). The old certificate expires naturally. */
    RENEWAL,
    /** New key, same data, proven by the old key (001 §6.1.3.3, 003 §4.7). The old certificate is superseded. */
    REKEY,
    /** Changed subject or registration data, reviewed like an application (003 §4.8). The old one is superseded. */
    MODIFICATION,
    /** Lost or damaged medium: new key, same data, the old notAfter (002 §3.7). The old one is superseded. */
    REPLACEMENT;

    /** Whether issuing a certificate of this kind revokes the original as superseded. */
    public boolean supersedesOriginal() {
        return this == REKEY || this == MODIFICATION || this == REPLACEMENT;
    }
}
