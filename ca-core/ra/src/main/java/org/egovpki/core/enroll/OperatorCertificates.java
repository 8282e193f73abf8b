package org.egovpki.core.enroll;

import java.math.BigInteger;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditLog;
import org.egovpki.core.certificate.CertificateQuery;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.CertificateRecords;
import org.egovpki.core.certificate.CertificateStatus;
import org.egovpki.core.dualcontrol.DualControl;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.SeparationOfDuties;
import org.egovpki.core.x509.Pem;
import org.egovpki.core.x509.SerialNumbers;

/**
 * Binds operator certificates to operator entries, the second login factor (docs/operations.md,
 * "Two-factor login"). A security admin (or super admin) binds a certificate this CA issued — found
 * in the certificate records with exactly these bytes — under an operator profile (by default
 * {@value #PROFILE}; {@code operators.secondFactor.profiles}), valid now, not revoked, with
 * digitalSignature and the clientAuth extended key usage, and bound to no other operator. The
 * profile matters: every subscriber profile carries clientAuth too, and {@code device-bulk} is issued
 * by one RA admin alone; only an operator profile is issued after an entry clerk and a different
 * reviewer checked the operator, so only its certificates may become a second factor. An
 * operator may bind its own certificate only while none is bound to it (so the first security admin
 * can finish its own set-up); replacing a bound certificate needs another security admin. Binding a
 * certificate to another operator needs two security admins ({@link DualControl}): whoever binds a
 * certificate whose key it holds to another operator could log in as that operator, so the first
 * one's call proposes the binding and a different one's identical call carries it out. Every binding,
 * proposal and refusal is audited.
 */
public final class OperatorCertificates {

    /** The built-in profile operator certificates are issued under (docs/operations.md, "Two-factor login"). */
    public static final String PROFILE = "operator";

    /** id-kp-clientAuth (RFC 5280). */
    static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    /** An operator's bound certificate: its record (status, validity) and the certificate. */
    public record Bound(String uid, CertificateRecord record) {
    }

    private final OperatorAccounts accounts;
    private final OperatorCertificateBindings bindings;
    private final CertificateRecords records;
    private final Set<String> profiles;
    private final AuditLog audit;
    private final Clock clock;
    /** Bindings to another operator waiting for a second security admin. */
    private final SecondSecurityAdmin secondAdmin;

    /** Certificates of the built-in {@value #PROFILE} profile only. */
    public OperatorCertificates(OperatorAccounts accounts, OperatorCertificateBindings bindings,
                                CertificateRecords records, AuditLog audit, Clock clock) {
        this(accounts, bindings, records, Set.of(PROFILE), audit, clock);
    }

    /** @param profiles the operator profiles: the only profiles whose certificates are bound and log in */
    public OperatorCertificates(OperatorAccounts accounts, OperatorCertificateBindings bindings,
                                CertificateRecords records, Set<String> profiles, AuditLog audit, Clock clock) {
        if (profiles.isEmpty()) {
            throw new IllegalArgumentException("at least one operator profile is needed");
        }
        this.profiles = Set.copyOf(profiles);
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.bindings = Objects.requireNonNull(bindings, "bindings");
        this.records = Objects.requireNonNull(records, "records");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.secondAdmin = new SecondSecurityAdmin(accounts, audit, clock);
    }

    /**
     * Binds {@code certificateDer} to operator {@code uid}: at once for one's own first certificate;
     * to another operator once a second security admin asked for the same binding.
     *
     * @return the proposal of a binding to another operator (nothing bound yet: no result) or the binding
     * @throws DomainException FORBIDDEN for a caller who is no security admin, or who replaces its own
     *                         binding; NOT_FOUND for an unknown operator; BAD_REQUEST (field
     *                         {@code certificate}) for a certificate that is not this CA's, revoked,
     *                         not valid now, or not made for client login; CONFLICT if another operator holds it
     */
    public synchronized DualControl.Outcome<Bound> bind(Operator actor, String uid, byte[] certificateDer) {
        Objects.requireNonNull(actor, "actor");
        if (!SeparationOfDuties.managesOperators(actor)) {
            throw refused(actor, uid, new DomainException(DomainException.Kind.FORBIDDEN, "only a security admin "
                    + "(SECURITY_ADMIN, or SUPER_ADMIN) may bind operator certificates; operator '" + actor.uid()
                    + "' has roles " + actor.roles()));
        }
        OperatorAccount target = accounts.account(uid).orElseThrow(() -> DomainException.notFound(
                "no operator with login '" + uid + "'"));
        Optional<String> before = bindings.boundCertificate(target.uid());
        if (actor.isSamePersonAs(target.operator().dn()) && before.isPresent()) {
            throw refused(actor, uid, new DomainException(DomainException.Kind.FORBIDDEN, "an operator may bind its "
                    + "own certificate only while none is bound to it; operator '" + actor.uid() + "' has "
                    + before.get() + ": another security admin must replace it"));
        }
        CertificateRecord record;
        try {
            record = check(certificateDer);
        } catch (DomainException e) {
            throw refused(actor, uid, e);
        }
        Optional<String> holder = bindings.holderOf(record.id());
        if (holder.isPresent() && !holder.get().equalsIgnoreCase(target.uid())) {
            throw refused(actor, uid, DomainException.conflict("certificate " + record.id() + " is already bound to "
                    + "operator '" + holder.get() + "': one certificate logs in one operator"));
        }
        if (actor.isSamePersonAs(target.operator().dn())) {
            return new DualControl.Outcome<>(null, bindNow(actor, target, record, before, null));
        }
        return secondAdmin.decide(actor, target.operator().dn(), target.operator(), "bind a certificate to operator "
                + target.uid().toLowerCase(Locale.ROOT), "certificate " + record.id(),
                proposal -> bindNow(actor, target, record, before, proposal));
    }

    /** Writes and audits a binding that passed its checks; {@code proposal} the one confirmed, if any. */
    private Bound bindNow(Operator actor, OperatorAccount target, CertificateRecord record, Optional<String> before,
                          DualControl.Proposal proposal) {
        bindings.bind(target.uid(), record.id());
        Map<String, String> details = new LinkedHashMap<>();
        details.put("operator", target.uid());
        details.put("certificate", record.id());
        details.put("replaced", before.orElse("none"));
        if (proposal != null) {
            details.put("proposedBy", proposal.proposerDn());
        }
        audit.record(AuditEvent.success(clock.instant(), AuditEventType.OPERATOR_CERTIFICATE_BOUND, actor.dn(),
                List.of(target.operator().dn()), details));
        return new Bound(target.uid(), record);
    }

    /** The id of the certificate bound to this operator (one read of the binding); empty if none is bound. */
    public Optional<String> boundId(String uid) {
        return bindings.boundCertificate(uid);
    }

    /** The certificate bound to this operator, with its record as it is now; empty if none is bound. */
    public Optional<Bound> bound(String uid) {
        return bindings.boundCertificate(uid).flatMap(OperatorCertificates::parseId)
                .flatMap(id -> records.find(id.issuer(), id.serial()))
                .map(record -> new Bound(uid, record));
    }

    /**
     * The operators whose bound certificate was issued under a profile that is not an operator
     * profile (bound by an earlier version, or the profiles changed since): they can no longer log
     * in with it, nor with their password alone. One read per operator; for the start-up warning.
     *
     * @return the bindings concerned, by operator, in the accounts' order
     */
    public List<Bound> outsideProfiles() {
        List<Bound> outside = new java.util.ArrayList<>();
        for (OperatorAccount account : accounts.list()) {
            bound(account.uid()).filter(bound -> !profiles.contains(bound.record().profile()))
                    .ifPresent(outside::add);
        }
        return outside;
    }

    /** The checks a certificate must pass to be bound, and again at every login. */
    private CertificateRecord check(byte[] certificateDer) {
        if (certificateDer == null || certificateDer.length == 0) {
            throw DomainException.badRequest("certificate", "certificate is required: the operator certificate, "
                    + "PEM or base64 DER");
        }
        X509Certificate certificate;
        try {
            certificate = Pem.parseCertificate(certificateDer);
        } catch (RuntimeException e) {
            throw DomainException.badRequest("certificate", "the certificate is not a DER X.509 certificate");
        }
        if (certificate.getSerialNumber().signum() <= 0) {
            throw DomainException.badRequest("certificate", "the certificate has a serial number this CA never "
                    + "issues (zero or negative): it was not issued by this CA");
        }
        CertificateRecord record = records.search(new CertificateQuery(
                        SerialNumbers.toHex(certificate.getSerialNumber()), null, null, null, 100)).stream()
                .filter(r -> r.certificateDer() != null && Arrays.equals(r.certificateDer(), certificateDer))
                .findFirst()
                .orElseThrow(() -> DomainException.badRequest("certificate", "certificate " + certificate.getSerialNumber()
                        .toString(16) + " (issuer " + certificate.getIssuerX500Principal().getName() + ") was not "
                        + "issued by this CA: bind a certificate of the operator profile issued here"));
        usable(record, clock.instant());
        boolean[] usage = certificate.getKeyUsage();
        if (usage == null || !usage[0]) {
            throw DomainException.badRequest("certificate", "certificate " + record.id() + " has no digitalSignature "
                    + "key usage: issue one of the operator profile");
        }
        List<String> purposes;
        try {
            purposes = certificate.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            purposes = null;
        }
        if (purposes == null || !purposes.contains(CLIENT_AUTH)) {
            throw DomainException.badRequest("certificate", "certificate " + record.id() + " has no clientAuth "
                    + "extended key usage: issue one of the operator profile");
        }
        return record;
    }

    /**
     * Refuses a record that is not an issued, unrevoked operator-profile certificate valid at
     * {@code now}: at the binding and again at every login, so a binding made before the profile was
     * checked stops logging in.
     */
    void usable(CertificateRecord record, Instant now) {
        if (!record.issued()) {
            throw DomainException.badRequest("certificate", "certificate " + record.id() + " is not issued");
        }
        if (!profiles.contains(record.profile())) {
            String named = profiles.stream().sorted().map(p -> "'" + p + "'").collect(Collectors.joining(" or "));
            throw DomainException.badRequest("certificate", "certificate " + record.id() + " was issued under profile '"
                    + record.profile() + "', not the operator profile " + named + ": a subscriber's certificate "
                    + "is no operator's second factor; have an entry clerk submit the operator's request with that "
                    + "profile and a reviewer approve it, then bind that certificate");
        }
        if (record.status() == CertificateStatus.REVOKED) {
            throw DomainException.badRequest("certificate", "certificate " + record.id() + " is revoked");
        }
        if (now.isBefore(record.notBefore()) || now.isAfter(record.notAfter())) {
            throw DomainException.badRequest("certificate", "certificate " + record.id() + " is not valid now (valid "
                    + record.notBefore() + " to " + record.notAfter() + ")");
        }
    }

    record RecordId(String issuer, BigInteger serial) {
    }

    static Optional<RecordId> parseId(String id) {
        int dash = id.lastIndexOf('-');
        if (dash < 1 || dash == id.length() - 1) {
            return Optional.empty();
        }
        try {
            return Optional.of(new RecordId(id.substring(0, dash), new BigInteger(id.substring(dash + 1), 16)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private DomainException refused(Operator actor, String uid, DomainException refusal) {
        audit.record(AuditEvent.failure(clock.instant(), AuditEventType.OPERATOR_CHANGE_REFUSED, actor.dn(),
                List.of(String.valueOf(uid)), Map.of("action", "bind operator certificate",
                        "reason", refusal.getMessage())));
        return refusal;
    }
}
