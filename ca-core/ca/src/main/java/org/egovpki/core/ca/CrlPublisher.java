package org.egovpki.core.ca;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.util.encoders.Hex;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditLog;
import org.egovpki.core.certificate.RevokedCertificates;
import org.egovpki.core.certificate.RevokedSelection;
import org.egovpki.core.crypto.CaSigner;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;
import org.egovpki.core.x509.CrlFactory;
import org.egovpki.core.x509.CrlPartition;
import org.egovpki.core.x509.CrlRequest;
import org.egovpki.core.x509.EncodedCrl;
import org.egovpki.core.x509.KeyIdentifiers;
import org.egovpki.core.x509.RevokedEntry;
import org.egovpki.core.event.CrlPublished;
import org.egovpki.core.event.LifecycleEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs and publishes a CA's CRLs: a full CRL of every unexpired revoked certificate, streamed
 * from the certificate records, and — when delta CRLs are on — a delta CRL beside it.
 *
 * <p>Numbers: full and delta CRLs of a CA share one strictly increasing sequence (RFC 5280
 * §5.2.3): the full CRL gets the last number used plus one, its delta the next. Publication is
 * conditional on the last full CRL number still being the one read ({@link CaRepository#publishCrl}),
 * so numbers strictly increase across restarts and concurrent instances: a loser of the race
 * discards what it signed and signs again with the next numbers.
 *
 * <p>Deltas: the delta published with a full CRL has the <em>previous</em> full CRL as its base
 * (DeltaCRLIndicator = that CRL's number) and lists every revocation since that CRL's thisUpdate;
 * the delta of a CA's very first CRL has that CRL as its base and is empty.
 * A relying party holding the previous full CRL needs only the small delta; one holding an older
 * CRL fetches the full one. Full CRLs then carry FreshestCRL pointing at the delta.
 *
 * <p>Expired certificates drop off: only certificates whose notAfter is not before thisUpdate are
 * listed.
 *
 * <p>Keys: the CRL at a URL is signed by the key whose certificates name that URL, because relying
 * parties (OpenSSL, most libraries) check a CRL with the key of the certificate's issuer in the
 * chain. The CA's first key's certificates name the main URLs, so the main CRLs — full, delta,
 * partitions, ARL, one number sequence — are signed by the first key as long as it is in service,
 * after key changeovers too; each later key's certificates name that key's CRL
 * ({@link PublicationUrls#keyCrlUrl}), which it signs, current or retired, until it expires.
 */
public final class CrlPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(CrlPublisher.class);
    private static final int MAX_ATTEMPTS = 5;

    private final CaRepository repository;
    private final RevokedCertificates revoked;
    private final CrlFactory crlFactory;
    private final AuditLog audit;
    private final Clock clock;
    /** Changed by {@link #nextUpdateAfter(Duration)} (a configuration reload); read once per CRL. */
    private volatile Duration nextUpdateAfter;
    private final PublicationUrls urls;
    private final LifecycleEvents events;
    private final boolean deltas;

    /**
     * @param urls where the CRLs are published: delta CRLs are issued when it names delta URLs,
     *             partition CRLs when it has more than one partition
     * @param events told of every full CRL published
     */
    public CrlPublisher(CaRepository repository, RevokedCertificates revoked, CrlFactory crlFactory, AuditLog audit,
                        Clock clock, Duration nextUpdateAfter, PublicationUrls urls, LifecycleEvents events) {
        this.repository = Objects.requireNonNull(repository, "repository");
        this.revoked = Objects.requireNonNull(revoked, "revoked");
        this.crlFactory = Objects.requireNonNull(crlFactory, "crlFactory");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nextUpdateAfter = positive(nextUpdateAfter);
        this.urls = Objects.requireNonNull(urls, "urls");
        this.events = Objects.requireNonNull(events, "events");
        this.deltas = urls.deltaCrls();
    }

    private static Duration positive(Duration nextUpdateAfter) {
        Objects.requireNonNull(nextUpdateAfter, "nextUpdateAfter");
        if (nextUpdateAfter.isNegative() || nextUpdateAfter.isZero()) {
            throw new IllegalArgumentException("CRL nextUpdate interval must be positive, was " + nextUpdateAfter);
        }
        return nextUpdateAfter;
    }

    /**
     * A new nextUpdate interval (a configuration reload) for every CRL signed from now on. CRLs
     * already published keep theirs: relying parties hold them until their own nextUpdate.
     */
    public void nextUpdateAfter(Duration nextUpdateAfter) {
        this.nextUpdateAfter = positive(nextUpdateAfter);
    }

    /** The nextUpdate interval of the CRLs signed from now on. */
    public Duration nextUpdateAfter() {
        return nextUpdateAfter;
    }

    /**
     * An emergency CRL on demand (REQUIREMENTS §5): only a CA or RA administrator may ask for one
     * ({@code FORBIDDEN} for anyone else, checked before the CA is looked up); {@code NOT_FOUND} for
     * a CA name the registry does not know. Issued as {@link #issue} with the operator as actor.
     */
    public CrlRecord issueOnDemand(Operator operator, CaRegistry cas, String caName) {
        if (!operator.has(Role.CA_ADMIN) && !operator.has(Role.RA_ADMIN)) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "operator '" + operator.uid()
                    + "' may not issue CRLs; that needs the CA_ADMIN or RA_ADMIN role");
        }
        CertificateAuthority ca = cas.find(caName).orElseThrow(() -> DomainException.notFound("no CA named '"
                + caName + "'; the CAs are " + cas.all().stream().map(CertificateAuthority::name).toList()));
        return issue(ca, operator.dn());
    }

    /** Signs and publishes a new full CRL (and delta CRL) for the CA; returns the full one. */
    public CrlRecord issue(CertificateAuthority ca, String actor) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Optional<CrlHead> previous = repository.crlHead(ca.name());
            BigInteger previousNumber = previous.map(CrlHead::crlNumber).orElse(null);
            BigInteger last = lastNumberUsed(ca, previous);
            Instant thisUpdate = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            CrlKey main = mainKey(ca, thisUpdate);
            Duration nextUpdate = nextUpdateAfter;
            BigInteger number = last.add(BigInteger.ONE);
            EncodedCrl full;
            EncodedCrl delta = null;
            try {
                CrlRequest request = new CrlRequest(number, thisUpdate, nextUpdate);
                if (deltas) {
                    request = request.withFreshestCrl(List.of(urls.deltaCrlUrl(ca.name()),
                            urls.deltaCrlLdapUrl(ca.name())));
                }
                List<RevokedEntry> subordinates = repository.revokedSubordinates(ca.name());
                full = crlFactory.build(request, sink -> {
                    revoked.forEachRevoked(RevokedSelection.all(ca.name(), thisUpdate), sink);
                    subordinates.forEach(sink);
                }, main.certificate(), main.signer());
                if (deltas) {
                    // The first CRL is its own delta's base: an empty delta, so the FreshestCRL URL
                    // in the certificates never answers 404.
                    Instant since = previous.map(CrlHead::thisUpdate).orElse(thisUpdate);
                    delta = crlFactory.build(new CrlRequest(number.add(BigInteger.ONE), thisUpdate, nextUpdate)
                                    .deltaOf(previous.isPresent() ? previousNumber : number),
                            sink -> {
                                revoked.forEachRevoked(new RevokedSelection(ca.name(), thisUpdate, since, null), sink);
                                subordinates.stream().filter(e -> !e.revocationDate().isBefore(since)).forEach(sink);
                            }, main.certificate(), main.signer());
                }
            } catch (DomainException e) {
                audit.record(AuditEvent.failure(clock.instant(), AuditEventType.CRL_ISSUE_FAILED, actor,
                        List.of(ca.name()), Map.of("crlNumber", number.toString(), "error", e.publicMessage())));
                throw e;
            }
            CrlRecord record = CrlRecord.of(full);
            if (repository.publishCrl(ca.name(), previousNumber, record, delta == null ? null : CrlRecord.of(delta))) {
                Map<String, String> details = new LinkedHashMap<>();
                details.put("crlNumber", number.toString());
                details.put("entries", Integer.toString(full.entryCount()));
                details.put("nextUpdate", record.nextUpdate().toString());
                if (delta != null) {
                    details.put("deltaCrlNumber", delta.crlNumber().toString());
                    details.put("deltaBase", String.valueOf(delta.baseCrlNumber()));
                    details.put("deltaEntries", Integer.toString(delta.entryCount()));
                }
                audit.record(AuditEvent.success(thisUpdate, AuditEventType.CRL_ISSUED, actor, List.of(ca.name()),
                        details));
                LOG.info("Published CRL #{} for CA {} with {} entries{} (next update {})", number, ca.name(),
                        full.entryCount(), delta == null ? "" : " and delta #" + delta.crlNumber() + " with "
                                + delta.entryCount(), record.nextUpdate());
                // The CA entry's number is the commit point; the ARL or the partitions number on from it.
                BigInteger next = number.add(BigInteger.TWO);
                if (ca.role() == CaRole.ROOT) {
                    publishArl(ca, main, number, next, thisUpdate, actor);
                } else {
                    for (int shard = 0; shard < partitions(); shard++) {
                        publishPartition(ca, main, shard, next.add(BigInteger.valueOf(2L * shard)), thisUpdate, actor);
                    }
                }
                for (CrlKey key : laterKeys(ca, thisUpdate)) {
                    publishKeyCrl(ca, key, thisUpdate, actor);
                }
                try {
                    events.publish(new CrlPublished(ca.name(), number, thisUpdate));
                } catch (RuntimeException e) {
                    LOG.error("A consumer of CRL #{} of CA {} failed; the CRL stands: {}", number, ca.name(), e.toString());
                }
                return record;
            }
            LOG.info("CRL #{} for CA {} lost a race with another writer; signing again", number, ca.name());
        }
        throw new DomainException(DomainException.Kind.CONFLICT, "could not publish a CRL for CA '" + ca.name()
                + "' after " + MAX_ATTEMPTS + " attempts: another writer keeps publishing; retry later");
    }

    /**
     * Signs and publishes the CRL of one partition (critical issuingDistributionPoint naming exactly
     * the URLs its certificates' CRL distribution point carries, end-entity certificates only) and
     * its delta against the partition's previous CRL.
     */
    private void publishPartition(CertificateAuthority ca, CrlKey main, int shard, BigInteger number,
                                  Instant thisUpdate, String actor) {
        Optional<CrlHead> previous = repository.partitionCrlHead(ca.name(), shard);
        CrlPartition scope = CrlPartition.userCertificates(List.of(urls.crlUrl(ca.name(), shard),
                urls.crlLdapUrl(ca.name(), shard)));
        CrlRequest request = new CrlRequest(number, thisUpdate, nextUpdateAfter).withPartition(scope);
        if (deltas) {
            request = request.withFreshestCrl(List.of(urls.deltaCrlUrl(ca.name(), shard),
                    urls.deltaCrlLdapUrl(ca.name(), shard)));
        }
        try {
            EncodedCrl full = crlFactory.build(request, sink -> revoked.forEachRevoked(
                    new RevokedSelection(ca.name(), thisUpdate, null, shard), sink), main.certificate(), main.signer());
            EncodedCrl delta = null;
            if (deltas) {
                Instant since = previous.map(CrlHead::thisUpdate).orElse(thisUpdate);
                delta = crlFactory.build(new CrlRequest(number.add(BigInteger.ONE), thisUpdate, nextUpdateAfter)
                                .deltaOf(previous.map(CrlHead::crlNumber).orElse(number)).withPartition(scope),
                        sink -> revoked.forEachRevoked(new RevokedSelection(ca.name(), thisUpdate, since, shard), sink),
                        main.certificate(), main.signer());
            }
            if (!repository.publishPartitionCrl(ca.name(), shard, CrlRecord.of(full),
                    delta == null ? null : CrlRecord.of(delta))) {
                LOG.info("Partition {} of CA {} already has a newer CRL than #{}", shard, ca.name(), number);
            }
        } catch (DomainException e) {
            // The full CRL is out; this partition catches up at the next run. Say so loudly.
            LOG.error("CRL partition {} of CA {} was not published: {}", shard, ca.name(), e.getMessage());
            audit.record(AuditEvent.failure(clock.instant(), AuditEventType.CRL_ISSUE_FAILED, actor,
                    List.of(ca.name() + "#" + shard), Map.of("crlNumber", number.toString(), "error", e.publicMessage())));
        }
    }

    /**
     * Signs and publishes a root CA's authority revocation list: the revoked certificates of the
     * CAs it certified, under a critical issuingDistributionPoint with onlyContainsCACerts.
     */
    private void publishArl(CertificateAuthority ca, CrlKey main, BigInteger crlNumber, BigInteger number,
                            Instant thisUpdate, String actor) {
        try {
            List<RevokedEntry> subordinates = repository.revokedSubordinates(ca.name());
            EncodedCrl arl = crlFactory.build(new CrlRequest(number, thisUpdate, nextUpdateAfter)
                            .withPartition(CrlPartition.caCertificates(List.of(urls.arlUrl(ca.name()),
                                    urls.arlLdapUrl(ca.name())))),
                    sink -> subordinates.forEach(sink), main.certificate(), main.signer());
            if (!repository.publishArl(ca.name(), crlNumber, CrlRecord.of(arl))) {
                LOG.info("CA {} already has a newer CRL and ARL than #{}", ca.name(), number);
            }
        } catch (DomainException e) {
            LOG.error("The ARL of CA {} was not published: {}", ca.name(), e.getMessage());
            audit.record(AuditEvent.failure(clock.instant(), AuditEventType.CRL_ISSUE_FAILED, actor,
                    List.of(ca.name() + "#arl"), Map.of("crlNumber", number.toString(), "error", e.publicMessage())));
        }
    }

    /**
     * Signs, with a key the CA got at a key changeover (current or retired since), that key's CRL at
     * {@link PublicationUrls#keyCrlUrl} — the URL the certificates it issued name — with the CA's
     * issuer name and the key's authority key identifier (RFC 5280 §5). It lists every revoked
     * certificate of the CA name, as the main CRL does — a serial the key did not sign names no
     * certificate of it (serials are unique per issuer name), and one selection serves every key —
     * and, for a root, the revoked CA certificates (a root's later keys' certificates name this CRL,
     * not the ARL). Its numbers are a sequence of its own (RFC 5280 §5.2.3: a sequence per CRL issuer
     * and scope; another key signs another scope).
     */
    private void publishKeyCrl(CertificateAuthority ca, CrlKey key, Instant thisUpdate, String actor) {
        String keyId = key.keyIdHex();
        try {
            BigInteger number = repository.retiredKeyCrl(ca.name(), keyId).map(CrlRecord::crlNumber)
                    .orElse(BigInteger.ZERO).add(BigInteger.ONE);
            List<RevokedEntry> subordinates = repository.revokedSubordinates(ca.name());
            EncodedCrl crl = crlFactory.build(new CrlRequest(number, thisUpdate, nextUpdateAfter), sink -> {
                revoked.forEachRevoked(RevokedSelection.all(ca.name(), thisUpdate), sink);
                subordinates.forEach(sink);
            }, key.certificate(), key.signer());
            if (repository.publishRetiredKeyCrl(ca.name(), keyId, CrlRecord.of(crl))) {
                audit.record(AuditEvent.success(thisUpdate, AuditEventType.CRL_ISSUED, actor,
                        List.of(ca.name() + "#key-" + keyId), Map.of("crlNumber", number.toString(),
                                "entries", Integer.toString(crl.entryCount()), "key", key.alias())));
            } else {
                LOG.info("The key {} of CA {} already has a CRL numbered {} or above", keyId, ca.name(), number);
            }
        } catch (DomainException e) {
            LOG.error("The CRL of the key {} of CA {} was not published: {}", keyId, ca.name(), e.getMessage());
            audit.record(AuditEvent.failure(clock.instant(), AuditEventType.CRL_ISSUE_FAILED, actor,
                    List.of(ca.name() + "#key-" + keyId), Map.of("error", e.publicMessage())));
        }
    }

    /** One key of a CA that signs CRLs, with the certificate whose name and key identifier they carry. */
    private record CrlKey(String alias, X509Certificate certificate, CaSigner signer) {
        String keyIdHex() {
            return Hex.toHexString(KeyIdentifiers.ofIssuer(certificate));
        }
    }

    /**
     * The key that signs the CRLs at the CA's main URLs (full, delta, partitions, ARL): the CA's first
     * key, whose certificates name them, while it is in service — after a changeover too — and the
     * current key once the first has expired (no unexpired certificate names them then; the current
     * key keeps the CA entry's CRL fresh for the surfaces that read it).
     */
    private static CrlKey mainKey(CertificateAuthority ca, Instant at) {
        return ca.retiredFirstKey().filter(first -> first.inService(at))
                .map(first -> new CrlKey(first.alias(), first.certificate(), first.signer()))
                .orElseGet(() -> new CrlKey(ca.name(), ca.certificate(), ca.signer()));
    }

    /** The keys a changeover made that are in service at {@code at}: the current one unless it is the first, and the retired ones. */
    private static List<CrlKey> laterKeys(CertificateAuthority ca, Instant at) {
        List<CrlKey> keys = new ArrayList<>();
        if (!ca.firstKeyIssues()) {
            keys.add(new CrlKey("current", ca.certificate(), ca.signer()));
        }
        for (RetiredCaKey retired : ca.retiredKeys()) {
            if (!retired.alias().equals(ca.name()) && retired.inService(at)) {
                keys.add(new CrlKey(retired.alias(), retired.certificate(), retired.signer()));
            }
        }
        return keys;
    }

    /** The highest CRL number the CA has used in any scope: the full CRL, its delta, every partition. */
    private BigInteger lastNumberUsed(CertificateAuthority ca, Optional<CrlHead> head) {
        BigInteger last = head.map(CrlHead::lastNumber).orElse(BigInteger.ZERO);
        for (int shard = 0; shard < partitions(); shard++) {
            last = last.max(repository.partitionCrlHead(ca.name(), shard).map(CrlHead::lastNumber)
                    .orElse(BigInteger.ZERO));
        }
        return last;
    }

    private int partitions() {
        return urls.crlPartitions() <= 1 ? 0 : urls.crlPartitions();
    }

    /**
     * Issues the CA's CRLs when the main one, or the CRL of a key a changeover made, is not published
     * or expires within {@code margin}: the first start after a changeover publishes the new key's
     * CRL before that key issues a certificate naming it.
     */
    public Optional<CrlRecord> refreshIfDue(CertificateAuthority ca, Duration margin, String actor) {
        Optional<CrlHead> current = repository.crlHead(ca.name());
        Instant due = clock.instant().plus(margin);
        boolean fresh = current.isPresent() && current.get().nextUpdate().isAfter(due)
                && laterKeys(ca, clock.instant()).stream().allMatch(key -> repository.retiredKeyCrl(ca.name(),
                        key.keyIdHex()).filter(crl -> crl.nextUpdate().isAfter(due)).isPresent());
        if (fresh) {
            return Optional.empty();
        }
        return Optional.of(issue(ca, actor));
    }
}
