package org.egovpki.core.km.centre;

/** Who a key recovery is for (001 §6.2.8, 004 §7.5.2.2). */
public enum RecoveryKind {
    /** The key's own subscriber, who lost or broke the token: the key goes to a new token. */
    SUBSCRIBER,
    /** A judicial or supervisory authority with a legal document: the key goes to its officer. */
    JUDICIAL
}
