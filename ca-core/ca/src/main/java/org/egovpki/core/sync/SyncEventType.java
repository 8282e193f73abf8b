package org.egovpki.core.sync;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a sync event tells a receiver: the CloudEvents {@code type} of each message. Certificate
 * events are routed to the targets that take the certificate's business type; CRL events go to
 * every target.
 */
public enum SyncEventType {
    /** A certificate issued for a new application. */
    CERT_ISSUED("cert.issued"),
    /** A certificate issued by a renewal (same key; the original stays valid until it expires). */
    CERT_RENEWED("cert.renewed"),
    /** A certificate issued by a rekey, modification or replacement (the original is superseded). */
    CERT_REISSUED("cert.reissued"),
    /** A certificate revoked, superseded included. */
    CERT_REVOKED("cert.revoked"),
    /** A CRL published (full, delta or a partition). */
    CRL_PUBLISHED("crl.published");

    private final String wireName;

    SyncEventType(String wireName) {
        this.wireName = wireName;
    }

    /** The CloudEvents {@code type}, e.g. {@code cert.issued}. */
    public String wireName() {
        return wireName;
    }

    public boolean isCertificateEvent() {
        return this != CRL_PUBLISHED;
    }

    public static Optional<SyncEventType> fromWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }
}
