package org.egovpki.core.ca;

import java.security.cert.CertificateEncodingException;
import java.time.Clock;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditLog;
import org.egovpki.core.certificate.CompromisedKey;
import org.egovpki.core.certificate.CompromisedKeyStore;
import org.egovpki.core.certificate.Revocation;
import org.egovpki.core.certificate.RevocationChannel;
import org.egovpki.core.certificate.RevocationReason;
import org.egovpki.core.event.CaRevoked;
import org.egovpki.core.event.LifecycleEvents;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;
import org.egovpki.core.x509.SerialNumbers;

/**
 * Revokes an issuing CA's own certificate (a CA administrator's decision, e.g. after a key
 * compromise). The revocation is recorded on the CA entry in one compare-and-swap; the CA then
 * issues nothing more but keeps signing CRLs and OCSP answers for what it issued; its parent (the
 * root) lists the certificate in its next CRL and in its authority revocation list (ARL), which
 * a {@link CaRevoked} event asks to be issued at once, and the parent's OCSP responder answers
 * {@code revoked} for it from the next request on ({@link CaCertificateStatuses}).
 *
 * <p>Two CA admins are needed (002 §7.2.1.1, {@link SecondCaAdmin}): the first one's call
 * proposes the revocation, a second, different CA admin's call with the same reason within an hour
 * carries it out; the revocation names both.
 */
public final class CaRevocations {

    private static final Set<RevocationReason> CA_REASONS = EnumSet.of(RevocationReason.CA_COMPROMISE,
            RevocationReason.SUPERSEDED, RevocationReason.AGREEMENT_ENDED);

    private final CaRegistry cas;
    private final CaRepository repository;
    private final CompromisedKeyStore compromisedKeys;
    private final AuditLog audit;
    private final Clock clock;
    private final LifecycleEvents events;
    private final SecondCaAdmin secondAdmin;

    /**
     * What a call came to: a revocation proposed and waiting for a second CA admin, or carried out.
     *
     * @param proposal   the proposal made or confirmed
     * @param revocation the revocation carried out, or {@code null} while it waits for a second CA admin
     */
    public record Outcome(SecondCaAdmin.Proposal proposal, Revocation revocation) {
        public boolean done() {
            return revocation != null;
        }
    }

    /**
     * @param events      told of every CA revocation once it is recorded
     * @param secondAdmin the proposals waiting for a second CA admin, shared with the key changeover
     * @param compromisedKeys where a revocation for CA compromise names the CA's key, so that no
     *                    end-entity request over it is ever certified
     */
    public CaRevocations(CaRegistry cas, CaRepository repository, CompromisedKeyStore compromisedKeys, AuditLog audit,
                         Clock clock, LifecycleEvents events, SecondCaAdmin secondAdmin) {
        this.compromisedKeys = Objects.requireNonNull(compromisedKeys, "compromisedKeys");
        this.secondAdmin = Objects.requireNonNull(secondAdmin, "secondAdmin");
        this.cas = Objects.requireNonNull(cas, "cas");
        this.repository = Objects.requireNonNull(repository, "repository");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.events = Objects.requireNonNull(events, "events");
    }

    /**
     * Proposes the revocation, or carries out the one another CA admin proposed with the same reason.
     *
     * @param reason CA_COMPROMISE (cACompromise), SUPERSEDED or AGREEMENT_ENDED (cessationOfOperation)
     * @throws DomainException FORBIDDEN unless a CA admin; NOT_FOUND for an unknown CA; BAD_REQUEST
     *     for a root CA or another reason; CONFLICT if already revoked, for the proposer asking again,
     *     or for another CA admin asking with another reason than the open proposal's (the proposer's
     *     other reason replaces its own proposal)
     */
    public Outcome revoke(Operator operator, String caName, RevocationReason reason) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("ca", String.valueOf(caName));
        facts.put("cause", String.valueOf(reason));
        if (!operator.has(Role.CA_ADMIN)) {
            throw refused(operator, facts, new DomainException(DomainException.Kind.FORBIDDEN, "operator '"
                    + operator.uid() + "' may not revoke a CA certificate; that needs the CA_ADMIN role"));
        }
        CertificateAuthority ca = cas.find(caName).orElseThrow(() -> refused(operator, facts,
                DomainException.notFound("no CA named '" + caName + "'")));
        if (ca.role() != CaRole.ISSUING) {
            throw refused(operator, facts, DomainException.badRequest("ca", "CA '" + caName + "' is a root CA: a "
                    + "self-signed certificate cannot be revoked by a CRL; withdraw it from the relying parties' "
                    + "trust stores"));
        }
        if (reason == null || !CA_REASONS.contains(reason)) {
            throw refused(operator, facts, DomainException.badRequest("reason", "a CA certificate is revoked for "
                    + CA_REASONS + ", not " + reason));
        }
        if (cas.isRevoked(caName)) {
            throw refused(operator, facts, DomainException.conflict("CA '" + caName + "' is already revoked"));
        }
        SecondCaAdmin.Outcome<Revocation> decided = secondAdmin.decide(operator, caName, "revoke CA " + caName,
                "reason " + reason.name(), proposal -> revokeNow(operator, ca, reason, proposal, facts));
        return new Outcome(decided.proposal(), decided.result());
    }

    /** Revokes a CA two CA admins agreed on; {@code facts} the audit details gathered so far. */
    private Revocation revokeNow(Operator operator, CertificateAuthority ca, RevocationReason reason,
                                 SecondCaAdmin.Proposal proposal, Map<String, String> facts) {
        String caName = ca.name();
        Revocation revocation = new Revocation(clock.instant(), reason, null, operator.dn(),
                RevocationChannel.OPERATOR);
        facts.put("proposedBy", proposal.proposerDn());
        if (reason.compromisesKey()) {
            // Before the CA entry changes, as for a certificate: the key stays known even if the CA is
            // later dropped from the configuration (while it is configured, its key is refused anyway).
            String keyId = CompromisedKey.keyIdOf(encoded(ca));
            compromisedKeys.add(new CompromisedKey(keyId, ca.definition().parent(),
                    SerialNumbers.toHex(ca.certificate().getSerialNumber()), revocation.time(), reason));
            facts.put("keyId", keyId);
        }
        if (!repository.revokeCa(caName, revocation)) {
            throw refused(operator, facts, DomainException.conflict("CA '" + caName + "' is already revoked"));
        }
        cas.markRevoked(caName);
        facts.put("reason", reason.rfc5280Name());
        facts.put("parent", ca.definition().parent());
        audit.record(AuditEvent.success(revocation.time(), AuditEventType.CA_REVOKED, operator.dn(),
                List.of(caName), facts));
        events.publish(new CaRevoked(caName, ca.definition().parent()));
        return revocation;
    }

    private static byte[] encoded(CertificateAuthority ca) {
        try {
            return ca.certificate().getEncoded();
        } catch (CertificateEncodingException e) {
            throw DomainException.internal("the certificate of CA " + ca.name() + " cannot be encoded", e);
        }
    }

    private DomainException refused(Operator operator, Map<String, String> facts, DomainException e) {
        Map<String, String> details = new LinkedHashMap<>(facts);
        details.put("error", e.publicMessage());
        audit.record(AuditEvent.failure(clock.instant(), AuditEventType.CA_REVOKED, operator.dn(),
                List.of(String.valueOf(facts.get("ca"))), details));
        return e;
    }
}
