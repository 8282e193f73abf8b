package org.egovpki.core.event;

/**
 * Something that happened to a certificate, a CA or a key that others react to (CRL scheduling,
 * the OCSP cache, the KM, the web-service sync). Events are immutable values, published through
 * {@link LifecycleEvents} by the domain service that caused them, after the change is stored;
 * the server delivers them through the lifecycle-events route (docs/architecture.md). The set is
 * closed so a consumer can switch over it.
 */
public sealed interface LifecycleEvent
        permits CertificateIssued, CertificateRevoked, CaRevoked, CrlPublished, KeyRetired {
}
