package org.egovpki.core.km.centre;

/**
 * Life of an escrowed encryption key. A key is never destroyed because its certificate was
 * revoked or expired: ciphertext made for it must stay readable (REQUIREMENTS §5, 001 §6.2.8).
 */
public enum KeyState {
    /** Its encryption certificate is (or is about to be) in use. */
    ACTIVE,
    /** Its certificate was revoked or superseded; the key is kept for recovery until its retention ends. */
    RETIRED,
    /** Retention ended and the wrapped private key was removed; the entry stays as the record of it. */
    DESTROYED
}
