package org.egovpki.server.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.egovpki.core.ca.CaPublications;
import org.egovpki.core.ca.CrlHead;
import org.egovpki.core.x509.CrlHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each CA's published full CRL, read from the directory at scrape time (what relying parties get,
 * whichever process or start-up step published it): its thisUpdate and nextUpdate as Unix times,
 * so an alert fires when nextUpdate draws near and no newer CRL is out, its number and how many
 * entries it lists. A CA without a CRL reports 0 for all four (so the nextUpdate alert fires).
 *
 * <p>One scrape reads each CA's CRL head once ({@link #REREAD}); the CRL itself, which may be
 * large, is read and counted only when its number changed.
 */
public final class CrlMetrics implements MeterBinder {

    static final String THIS_UPDATE = "egovpki_crl_this_update_timestamp_seconds";
    static final String NEXT_UPDATE = "egovpki_crl_next_update_timestamp_seconds";
    static final String NUMBER = "egovpki_crl_number";
    static final String ENTRIES = "egovpki_crl_entries";
    /** A head read this recently is reused: the gauges of one scrape share one directory read. */
    static final Duration REREAD = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(CrlMetrics.class);

    private final CaPublications publications;
    private final List<String> caNames;
    private final Clock clock;
    /** The gauges' objects, held here because Micrometer holds them only weakly. */
    private final List<PublishedCrl> published = new java.util.ArrayList<>();

    public CrlMetrics(CaPublications publications, List<String> caNames, Clock clock) {
        this.publications = Objects.requireNonNull(publications, "publications");
        this.caNames = List.copyOf(caNames);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String ca : caNames) {
            PublishedCrl crl = new PublishedCrl(ca);
            published.add(crl);
            gauge(registry, THIS_UPDATE, "Unix time of thisUpdate of the CA's published full CRL; 0 when none", ca, crl,
                    c -> c.head().map(h -> seconds(h.thisUpdate())).orElse(0.0));
            gauge(registry, NEXT_UPDATE, "Unix time of nextUpdate of the CA's published full CRL; 0 when none", ca, crl,
                    c -> c.head().map(h -> seconds(h.nextUpdate())).orElse(0.0));
            gauge(registry, NUMBER, "cRLNumber of the CA's published full CRL; 0 when none", ca, crl,
                    c -> c.head().map(h -> h.crlNumber().doubleValue()).orElse(0.0));
            gauge(registry, ENTRIES, "Revoked certificates listed on the CA's published full CRL", ca, crl,
                    PublishedCrl::entries);
        }
    }

    private static void gauge(MeterRegistry registry, String name, String help, String ca, PublishedCrl crl,
                              ToDoubleFunction<PublishedCrl> value) {
        Gauge.builder(name, crl, c -> {
            try {
                return value.applyAsDouble(c);
            } catch (RuntimeException e) {
                // The directory is down: no value this scrape (egovpki_directory_up says why).
                LOG.debug("CRL metrics of CA {}: {}", ca, e.toString());
                return Double.NaN;
            }
        }).description(help).tag("ca", ca).register(registry);
    }

    private static double seconds(Instant instant) {
        return instant.toEpochMilli() / 1000.0;
    }

    /** One CA's CRL as last read; the registry calls the gauges one at a time, so this is synchronized. */
    private final class PublishedCrl {

        private final String ca;
        private Instant readAt;
        private Optional<CrlHead> head = Optional.empty();
        private BigInteger countedNumber;
        private double entries;

        PublishedCrl(String ca) {
            this.ca = ca;
        }

        synchronized Optional<CrlHead> head() {
            Instant now = clock.instant();
            if (readAt == null || !now.isBefore(readAt.plus(REREAD))) {
                head = publications.crlHead(ca);
                readAt = now;
            }
            return head;
        }

        synchronized double entries() {
            Optional<CrlHead> current = head();
            if (current.isEmpty()) {
                return 0;
            }
            BigInteger number = current.get().crlNumber();
            if (!number.equals(countedNumber)) {
                entries = publications.currentCrl(ca)
                        .map(crl -> (double) CrlHeader.of(crl.sharedDer()).entries())
                        .orElse(0.0);
                countedNumber = number;
            }
            return entries;
        }
    }
}
