package org.egovpki.core.revoke;

import org.egovpki.core.operator.AttemptLimiter;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditLog;
import org.egovpki.core.ca.CaRegistry;
import org.egovpki.core.ca.CertificateAuthority;
import org.egovpki.core.ca.Supersession;
import org.egovpki.core.certificate.CertificateQuery;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.CertificateStatus;
import org.egovpki.core.certificate.CertificateStore;
import org.egovpki.core.certificate.CompromisedKey;
import org.egovpki.core.certificate.CompromisedKeyStore;
import org.egovpki.core.certificate.Revocation;
import org.egovpki.core.certificate.RevocationChannel;
import org.egovpki.core.certificate.RevocationReason;
import org.egovpki.core.operator.ChallengePhrases;
import org.egovpki.core.enroll.EnrollmentRequest;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.enroll.RequestStore;
import org.egovpki.core.operator.Role;
import org.egovpki.core.enroll.SubscriberStore;
import org.egovpki.core.profile.CertificateType;
import org.egovpki.core.x509.Pem;
import org.egovpki.core.x509.SerialNumbers;
import org.egovpki.core.event.CertificateRevoked;
import org.egovpki.core.event.LifecycleEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Revokes certificates through the three channels of REQUIREMENTS §5 — an operator, the
 * subscriber's challenge phrase, a request signed with the certificate's key — and, for
 * modification and replacement, as superseded.
 *
 * <p>Every channel ends in the same steps: the certificate leaves the subscriber's public entry,
 * the record changes from VALID to REVOKED with time, CPS cause, RFC 5280 reason, invalidity date,
 * actor and channel in one compare-and-swap (a second revocation is a CONFLICT, never a second
 * entry), a {@link CertificateRevoked} event is published (OCSP, KM, CRL, sync consume it) and an audit event is written — also for
 * every refusal.
 *
 * <p>Who may revoke (001 §6.2.7.2): personal certificates at the request of the holder;
 * organisation and device certificates only at the request of the organisation's authorised
 * representative; any certificate at the request of the CA/RA, the approving e-government body,
 * a relying party or a judicial authority — recorded by an RA or CA administrator. The challenge
 * phrase was set by whoever applied (the holder, or the organisation's representative), so it
 * speaks for them. A device's own key does not speak for the organisation: device certificates
 * are not revoked by signed request.
 *
 * <p>The challenge phrase channel answers a wrong phrase and an unknown serial identically and in
 * the same time (a slow hash is computed either way), and counts failures per client and per
 * certificate in an {@link AttemptLimiter}.
 */
public final class RevocationService implements Supersession {

    private static final Logger LOG = LoggerFactory.getLogger(RevocationService.class);
    private static final Set<Role> REVOKING_ROLES = EnumSet.of(Role.RA_ADMIN, Role.CA_ADMIN);
    private static final String NO_MATCH = "the serial number and challenge phrase do not match a certificate "
            + "this CA can revoke";

    private final CaRegistry cas;
    private final CertificateStore certificates;
    private final CompromisedKeyStore compromisedKeys;
    private final SubscriberStore subscribers;
    private final RequestStore requests;
    private final AuditLog audit;
    private final Clock clock;
    private final AttemptLimiter limiter;
    private final Duration signedRequestMaxAge;
    private final String decoyHash;
    private final LifecycleEvents events;

    /**
     * @param limiter             failed challenge-phrase attempts per client and per certificate
     * @param signedRequestMaxAge how far a signed request's {@code requestedAt} may be from now
     *                            (either way), so a captured request cannot be replayed later
     * @param events              told of every revocation once it is recorded; a consumer's failure
     *                            is logged and does not undo the revocation
     * @param compromisedKeys     where a revocation for key compromise names the key, so that it is
     *                            never certified again
     */
    public RevocationService(CaRegistry cas, CertificateStore certificates, CompromisedKeyStore compromisedKeys,
                             SubscriberStore subscribers,
                             RequestStore requests, AuditLog audit, Clock clock, AttemptLimiter limiter,
                             Duration signedRequestMaxAge, SecureRandom random, LifecycleEvents events) {
        this.cas = Objects.requireNonNull(cas, "cas");
        this.certificates = Objects.requireNonNull(certificates, "certificates");
        this.compromisedKeys = Objects.requireNonNull(compromisedKeys, "compromisedKeys");
        this.subscribers = Objects.requireNonNull(subscribers, "subscribers");
        this.requests = Objects.requireNonNull(requests, "requests");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.signedRequestMaxAge = Objects.requireNonNull(signedRequestMaxAge, "signedRequestMaxAge");
        this.events = Objects.requireNonNull(events, "events");
        // Compared against when there is no real hash, so an unknown serial costs the same PBKDF2 time.
        this.decoyHash = ChallengePhrases.decoy(random);
    }

    /**
     * An RA or CA administrator revokes on behalf of {@code requester}.
     *
     * @param invalidityDate when the key became invalid, or {@code null}; not in the future
     */
    public CertificateRecord revokeByOperator(Operator operator, String issuer, BigInteger serial,
                                              RevocationReason reason, Requester requester, Instant invalidityDate) {
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(requester, "requester");
        Map<String, String> facts = facts(issuer, serial, reason, RevocationChannel.OPERATOR);
        facts.put("requester", requester.name());
        if (REVOKING_ROLES.stream().noneMatch(operator::has)) {
            throw refused(operator.dn(), facts, new DomainException(DomainException.Kind.FORBIDDEN, "operator '"
                    + operator.uid() + "' may not revoke certificates; that needs the RA_ADMIN or CA_ADMIN role"));
        }
        if (reason == RevocationReason.CA_COMPROMISE) {
            throw refused(operator.dn(), facts, DomainException.badRequest("reason", "CA_COMPROMISE is the reason "
                    + "of a CA certificate (POST /api/v1/cas/{ca}/revoke); a subscriber's certificate is revoked for "
                    + "one of the CPS causes A-J, KEY_COMPROMISE (E) if its own key is compromised"));
        }
        CertificateRecord record = existing(issuer, serial, operator.dn(), facts);
        requireRequesterMayAsk(record, requester, operator.dn(), facts);
        return revoke(record, new Revocation(clock.instant(), reason,
                invalidityDate(invalidityDate, record, operator.dn(), facts), operator.dn(), RevocationChannel.OPERATOR),
                facts);
    }

    /**
     * The subscriber revokes with the challenge phrase it set at application.
     *
     * @param client the caller's address, for rate limiting
     * @throws DomainException FORBIDDEN with the same message for an unknown serial and a wrong
     *     phrase; RATE_LIMITED after too many failures from this client or on this certificate
     */
    public CertificateRecord revokeWithChallenge(String issuer, BigInteger serial, char[] phrase,
                                                 RevocationReason reason, Instant invalidityDate, String client) {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(serial, "serial");
        RevocationReason cause = reason == null ? RevocationReason.HOLDER_REQUEST : reason;
        Map<String, String> facts = facts(issuer, serial, cause, RevocationChannel.CHALLENGE_PHRASE);
        facts.put("client", String.valueOf(client));
        String certificateKey = "cert:" + issuer + "/" + SerialNumbers.toHex(serial);
        String clientKey = "client:" + client;
        String actor = "self-service " + client;
        Optional<Instant> blocked = limiter.blockedUntil(certificateKey).or(() -> limiter.blockedUntil(clientKey));
        if (blocked.isPresent()) {
            throw refused(actor, facts, new DomainException(DomainException.Kind.RATE_LIMITED,
                    "too many wrong challenge phrases; try again after " + blocked.get()));
        }
        Optional<CertificateRecord> record = certificates.find(issuer, serial).filter(CertificateRecord::issued);
        String hash = record.flatMap(r -> requests.find(r.requestId())).map(EnrollmentRequest::challengeHash)
                .orElse(null);
        boolean matches = ChallengePhrases.matches(phrase == null ? new char[0] : phrase,
                hash == null ? decoyHash : hash) && hash != null;
        if (!matches) {
            limiter.failed(certificateKey, clientKey);
            throw refused(actor, facts, new DomainException(DomainException.Kind.FORBIDDEN, NO_MATCH, "challengePhrase"));
        }
        CertificateRecord found = record.orElseThrow();
        String subscriberDn = subscribers.entryDn(found.subscriberId());
        requireSubscriberReason(cause, subscriberDn, facts);
        return revoke(found, new Revocation(clock.instant(), cause,
                invalidityDate(invalidityDate, found, subscriberDn, facts), subscriberDn,
                RevocationChannel.CHALLENGE_PHRASE), facts);
    }

    /** Revokes on a request signed with the certificate's own key ({@link SignedRevocationRequest}). */
    public CertificateRecord revokeSigned(byte[] cms) {
        SignedRevocationRequest request = SignedRevocationRequest.parse(cms);
        String actor = "signed request";
        CertificateAuthority ca = cas.all().stream()
                .filter(c -> X500Name.getInstance(c.certificate().getSubjectX500Principal().getEncoded())
                        .equals(request.issuer()))
                .findFirst()
                .orElse(null);
        Map<String, String> facts = facts(ca == null ? request.issuer().toString() : ca.name(), request.serial(),
                request.reason(), RevocationChannel.SIGNED_REQUEST);
        if (ca == null) {
            throw refused(actor, facts, DomainException.notFound("the request is signed for a certificate of '"
                    + request.issuer() + "', which is not a CA of this server"));
        }
        CertificateRecord record = existing(ca.name(), request.serial(), actor, facts);
        if (!request.verifySignature(certificate(record))) {
            throw refused(actor, facts, new DomainException(DomainException.Kind.FORBIDDEN, "the signature does not "
                    + "verify under certificate " + record.serialHex() + "; sign with that certificate's private key"));
        }
        Instant now = clock.instant();
        if (Duration.between(request.requestedAt(), now).abs().compareTo(signedRequestMaxAge) > 0) {
            throw refused(actor, facts, DomainException.badRequest("requestedAt", "requestedAt "
                    + request.requestedAt() + " is more than " + signedRequestMaxAge.toMinutes()
                    + " minutes from the CA's time " + now + "; sign a fresh request"));
        }
        if (record.type() == CertificateType.DEVICE) {
            throw refused(actor, facts, new DomainException(DomainException.Kind.FORBIDDEN, "device certificates "
                    + "are revoked by the owning organisation's authorised representative (challenge phrase or an "
                    + "RA operator), not by the device's own key"));
        }
        String subscriberDn = subscribers.entryDn(record.subscriberId());
        requireSubscriberReason(request.reason(), subscriberDn, facts);
        return revoke(record, new Revocation(now, request.reason(),
                invalidityDate(request.invalidityDate(), record, subscriberDn, facts), subscriberDn,
                RevocationChannel.SIGNED_REQUEST), facts);
    }

    /**
     * Revokes {@code old} as superseded because a modification or replacement was issued for it.
     *
     * @param actorDn who caused the new issuance
     */
    @Override
    public CertificateRecord supersede(CertificateRecord old, String actorDn) {
        Map<String, String> facts = facts(old.issuer(), old.serial(), RevocationReason.SUPERSEDED,
                RevocationChannel.SUPERSEDED);
        return revoke(old, new Revocation(clock.instant(), RevocationReason.SUPERSEDED, null, actorDn,
                RevocationChannel.SUPERSEDED), facts);
    }

    private CertificateRecord revoke(CertificateRecord record, Revocation revocation, Map<String, String> facts) {
        String actor = revocation.revokedBy();
        requireRevocable(record, actor, facts);
        if (revocation.reason().compromisesKey() && record.certificateDer() != null) {
            // Before the record changes, like an intent: a failure or crash in between leaves the key
            // refused while its certificate is still valid (revoking again finishes it), never a
            // certificate revoked for compromise whose key could be certified again.
            String keyId = CompromisedKey.keyIdOf(record.certificateDer());
            compromisedKeys.add(new CompromisedKey(keyId, record.issuer(), record.serialHex(), revocation.time(),
                    revocation.reason()));
            facts.put("keyId", keyId);
        }
        if (record.certificateDer() != null) {
            // First off the public entry: if anything below fails, the caller retries and this is idempotent.
            subscribers.unpublishCertificate(record.subscriberId(), record.certificateDer());
        }
        if (!certificates.revoke(record, revocation)) {
            CertificateRecord now = certificates.find(record.issuer(), record.serial()).orElse(record);
            requireRevocable(now, actor, facts);
            throw refused(actor, facts, DomainException.conflict("certificate " + record.serialHex()
                    + " changed while it was being revoked; look it up and retry"));
        }
        CertificateRecord revoked = record.revoked(revocation);
        if (revocation.invalidityDate() != null) {
            facts.put("invalidityDate", revocation.invalidityDate().toString());
        }
        audit.record(AuditEvent.success(revocation.time(), AuditEventType.CERTIFICATE_REVOKED, actor,
                List.of(record.id(), record.subjectDn()), facts));
        LOG.info("Revoked certificate {} of CA {} ({}, {}) by {}", record.serialHex(), record.issuer(),
                revocation.reason(), revocation.channel(), actor);
        try {
            events.publish(new CertificateRevoked(revoked,
                    revocation.channel() == RevocationChannel.SUPERSEDED));
        } catch (RuntimeException e) {
            LOG.error("A revocation listener failed for {}; the revocation stands: {}", record.id(), e.toString());
        }
        return revoked;
    }

    private void requireRevocable(CertificateRecord record, String actor, Map<String, String> facts) {
        if (record.status() == CertificateStatus.REVOKED) {
            Revocation r = record.revocation();
            throw refused(actor, facts, DomainException.conflict("certificate " + record.serialHex()
                    + " is already revoked (" + r.time() + ", " + r.reason() + ")"));
        }
        if (!record.notAfter().isAfter(clock.instant())) {
            throw refused(actor, facts, DomainException.conflict("certificate " + record.serialHex() + " expired on "
                    + record.notAfter() + "; expired certificates are not revoked (they are no longer valid anyway)"));
        }
    }

    private CertificateRecord existing(String issuer, BigInteger serial, String actor, Map<String, String> facts) {
        if (issuer == null || serial == null || cas.find(issuer).isEmpty()) {
            throw refused(actor, facts, DomainException.notFound("no CA named '" + issuer + "' issues certificates here"));
        }
        return certificates.find(issuer, serial).filter(CertificateRecord::issued)
                .orElseThrow(() -> refused(actor, facts, DomainException.notFound("CA " + issuer
                        + " has issued no certificate with serial " + SerialNumbers.toHex(serial))));
    }

    private void requireRequesterMayAsk(CertificateRecord record, Requester requester, String actor,
                                        Map<String, String> facts) {
        boolean personal = record.type() == CertificateType.PERSONAL;
        if (personal && requester == Requester.AUTHORISED_REPRESENTATIVE) {
            throw refused(actor, facts, DomainException.badRequest("requester", "certificate " + record.serialHex()
                    + " is a personal certificate: it is revoked at the request of its holder (SUBSCRIBER), not of "
                    + "an organisation's representative"));
        }
        if (!personal && requester == Requester.SUBSCRIBER) {
            throw refused(actor, facts, new DomainException(DomainException.Kind.FORBIDDEN, "certificate "
                    + record.serialHex() + " is an " + record.type().name().toLowerCase(java.util.Locale.ROOT)
                    + " certificate: only the organisation's authorised representative "
                    + "(AUTHORISED_REPRESENTATIVE), the CA/RA, the approving body, a relying party or a judicial "
                    + "authority may ask for its revocation", "requester"));
        }
    }

    private void requireSubscriberReason(RevocationReason reason, String actor, Map<String, String> facts) {
        if (!reason.subscriberMayGive()) {
            throw refused(actor, facts, DomainException.badRequest("reason", "a subscriber may give the reasons "
                    + "HOLDER_REQUEST, KEY_COMPROMISE, JOB_CHANGE or AGREEMENT_ENDED; " + reason
                    + " is recorded by an RA operator"));
        }
    }

    /**
     * The invalidity date given: not in the future, and not before the subscriber's first certificate
     * from this CA became valid. A renewal certifies the same key again, so the key of this
     * certificate may have been compromised while an earlier one was valid; but no signature under any
     * of the subscriber's certificates is older than the first, so an earlier date tells a relying
     * party nothing and is most likely a mistake (a year typed wrong, an epoch default).
     */
    private Instant invalidityDate(Instant date, CertificateRecord record, String actor, Map<String, String> facts) {
        if (date != null && date.isAfter(clock.instant())) {
            throw refused(actor, facts, DomainException.badRequest("invalidityDate", "invalidity date " + date
                    + " is in the future; give when the key was (or is suspected to have been) compromised"));
        }
        if (date != null && date.isBefore(record.notBefore())) {
            // Only then is the subscriber's history read: its earliest issued certificate.
            Instant first = certificates.search(new CertificateQuery(null, null, record.subscriberId(), null, 1000))
                    .stream().filter(CertificateRecord::issued).map(CertificateRecord::notBefore)
                    .min(Instant::compareTo).orElse(record.notBefore());
            if (date.isBefore(first)) {
                throw refused(actor, facts, DomainException.badRequest("invalidityDate", "invalidity date " + date
                        + " is before the subscriber's first certificate from this CA became valid (" + first
                        + "), so no signature it could mark is older; give a time from then on, or none"));
            }
        }
        return date;
    }

    private static X509Certificate certificate(CertificateRecord record) {
        try {
            return Pem.parseCertificate(record.certificateDer());
        } catch (RuntimeException e) {
            throw DomainException.internal("certificate record " + record.id() + " holds an unreadable certificate", e);
        }
    }

    private static Map<String, String> facts(String issuer, BigInteger serial, RevocationReason reason,
                                             RevocationChannel channel) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("issuer", String.valueOf(issuer));
        facts.put("serial", serial == null ? "null" : SerialNumbers.toHex(serial));
        facts.put("cause", reason.name());
        facts.put("reason", reason.rfc5280Name());
        facts.put("channel", channel.name());
        return facts;
    }

    private DomainException refused(String actor, Map<String, String> facts, DomainException e) {
        Map<String, String> details = new LinkedHashMap<>(facts);
        details.put("error", e.publicMessage());
        String subject = facts.get("issuer") + "-" + facts.get("serial");
        audit.record(AuditEvent.failure(clock.instant(), AuditEventType.CERTIFICATE_REVOKED, actor, List.of(subject),
                details));
        return e;
    }
}
