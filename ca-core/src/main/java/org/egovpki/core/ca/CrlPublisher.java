package org.egovpki.core.ca;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditLog;
import org.egovpki.core.x509.CrlFactory;
import org.egovpki.core.x509.CrlRequest;
import org.egovpki.core.x509.EncodedCrl;
import org.egovpki.core.x509.RevokedEntrySource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs and publishes full CRLs. The CRL number is the published number plus one, and the
 * publication is conditional on that number still being current ({@link CaRepository#publishCrl}),
 * so numbers strictly increase across restarts and concurrent instances: a loser of the race
 * discards its signed CRL and signs again with the next number.
 */
public final class CrlPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(CrlPublisher.class);
    private static final int MAX_ATTEMPTS = 5;

    private final CaRepository repository;
    private final CrlFactory crlFactory;
    private final AuditLog audit;
    private final Clock clock;
    private final Duration nextUpdateAfter;

    public CrlPublisher(CaRepository repository, CrlFactory crlFactory, AuditLog audit, Clock clock,
                        Duration nextUpdateAfter) {
        this.repository = Objects.requireNonNull(repository, "repository");
        this.crlFactory = Objects.requireNonNull(crlFactory, "crlFactory");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nextUpdateAfter = Objects.requireNonNull(nextUpdateAfter, "nextUpdateAfter");
        if (nextUpdateAfter.isNegative() || nextUpdateAfter.isZero()) {
            throw new IllegalArgumentException("CRL nextUpdate interval must be positive, was " + nextUpdateAfter);
        }
    }

    /** Signs and publishes a new full CRL for the CA. */
    public CrlRecord issue(CertificateAuthority ca, String actor) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            BigInteger previous = repository.currentCrl(ca.name()).map(CrlRecord::crlNumber).orElse(null);
            BigInteger number = previous == null ? BigInteger.ONE : previous.add(BigInteger.ONE);
            Instant thisUpdate = clock.instant();
            // Revoked entries arrive with revocation (issue #4); until then every CRL is empty.
            EncodedCrl crl = crlFactory.build(new CrlRequest(number, thisUpdate, nextUpdateAfter),
                    RevokedEntrySource.empty(), ca.certificate(), ca.signer());
            CrlRecord record = CrlRecord.of(crl);
            if (repository.publishCrl(ca.name(), previous, record)) {
                audit.record(AuditEvent.success(thisUpdate, AuditEventType.CRL_ISSUED, actor, List.of(ca.name()),
                        Map.of("crlNumber", number.toString(), "nextUpdate", record.nextUpdate().toString())));
                LOG.info("Published CRL #{} for CA {} (next update {})", number, ca.name(), record.nextUpdate());
                return record;
            }
            LOG.info("CRL #{} for CA {} lost a race with another writer; signing again", number, ca.name());
        }
        throw new DomainException(DomainException.Kind.CONFLICT, "could not publish a CRL for CA '" + ca.name()
                + "' after " + MAX_ATTEMPTS + " attempts: another writer keeps publishing; retry later");
    }

    /** Issues a CRL when none is published or the published one expires within {@code margin}. */
    public Optional<CrlRecord> refreshIfDue(CertificateAuthority ca, Duration margin, String actor) {
        Optional<CrlRecord> current = repository.currentCrl(ca.name());
        Instant due = clock.instant().plus(margin);
        if (current.isPresent() && current.get().nextUpdate().isAfter(due)) {
            return Optional.empty();
        }
        return Optional.of(issue(ca, actor));
    }
}
