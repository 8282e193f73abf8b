package org.egovpki.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import org.egovpki.core.event.CaRevoked;
import org.egovpki.core.event.CertificateIssued;
import org.egovpki.core.event.CertificateRevoked;
import org.egovpki.core.event.CrlPublished;
import org.egovpki.core.event.KeyRetired;
import org.egovpki.core.event.LifecycleEvent;

/**
 * Counts the domain's lifecycle events, as a consumer of the lifecycle-events route
 * ({@code LifecycleEventsRoute.METRICS_BEAN}): certificates issued, certificates revoked, CRLs
 * published. Observing the events rather than the services keeps Micrometer out of the domain and
 * counts every channel (REST, LDAP-browser decisions, lifecycle requests, signed revocations) at
 * one place. Labels are CA names, profile names and enum values: bounded, and never personal data.
 *
 * <p>Events published before the route is installed (start-up step 12: recovery's issuances, the
 * CRLs of the CA bootstrap and catch-up) are not counted; the CRL gauges of {@link CrlMetrics}
 * read the directory, so they show those CRLs all the same.
 */
public final class LifecycleMetrics implements Consumer<LifecycleEvent> {

    static final String ISSUED = "egovpki_certificates_issued";
    static final String REVOKED = "egovpki_certificates_revoked";
    static final String CRLS = "egovpki_crl_publications";
    static final String CAS_REVOKED = "egovpki_ca_revocations";
    static final String KEYS_RETIRED = "egovpki_km_keys_retired";

    private final MeterRegistry registry;

    public LifecycleMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Counts one event; never throws (a failing meter must not fail a revocation). */
    @Override
    public void accept(LifecycleEvent event) {
        if (event instanceof CertificateIssued issued) {
            Counter.builder(ISSUED)
                    .description("Certificates issued (new, renewed, re-issued), by CA, profile, type and occasion")
                    .tag("ca", issued.certificate().issuer())
                    .tag("profile", issued.certificate().profile())
                    .tag("type", label(issued.certificate().type()))
                    .tag("occasion", label(issued.occasion()))
                    .register(registry).increment();
        } else if (event instanceof CertificateRevoked revoked) {
            Counter.builder(REVOKED)
                    .description("Certificates revoked (supersession included), by CA and reason")
                    .tag("ca", revoked.issuer())
                    .tag("reason", revoked.certificate().revocation() == null ? "unspecified"
                            : label(revoked.certificate().revocation().reason()))
                    .register(registry).increment();
        } else if (event instanceof CrlPublished crl) {
            crlPublications(crl.ca()).increment();
        } else if (event instanceof CaRevoked ca) {
            Counter.builder(CAS_REVOKED).description("CA certificates revoked, by CA")
                    .tag("ca", ca.ca()).register(registry).increment();
        } else if (event instanceof KeyRetired retired) {
            Counter.builder(KEYS_RETIRED)
                    .description("Escrowed encryption keys retired at the KM after their certificate was revoked, by CA")
                    .tag("ca", retired.ca()).register(registry).increment();
        }
    }

    /** Registers the counters at zero for the CAs known at start, so a rate() works from the first scrape. */
    public void registerCa(String ca) {
        crlPublications(ca);
    }

    private Counter crlPublications(String ca) {
        return Counter.builder(CRLS).description("Full CRLs published (with their deltas, partitions and ARL), by CA")
                .tag("ca", ca).register(registry);
    }

    static String label(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
