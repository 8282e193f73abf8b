package org.egovpki.core.ca;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditLog;
import org.egovpki.core.crypto.CaKeyStore;
import org.egovpki.core.crypto.CaSigner;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;
import org.egovpki.core.x509.CaCertificateFactory;
import org.egovpki.core.x509.CaCertificateRequest;
import org.egovpki.core.x509.DistinguishedNames;
import org.egovpki.core.x509.Fingerprints;
import org.egovpki.core.x509.SerialNumbers;

/**
 * Rolls a CA to a new key (002 §6.8, 001 §6.6.2.3; RFC 4210 §4.4): a new key pair made where the
 * CA keys live (PKCS#12 file or PKCS#11 token), a new CA certificate with the same subject, a new
 * key identifier and serial, and for a root the two link certificates NewWithOld and OldWithNew.
 * The new key goes into the key store under a new alias ({@link CaKeyGenerations}), beside the
 * old one, which is never overwritten.
 *
 * <p>The changeover runs offline, against the CAs as the last start left them ({@code egov-pki ca
 * changeover}, under the data directory lock), and takes effect at the next start: the bootstrap
 * then makes the newest key current, so every new certificate (and, for a root, every new
 * subordinate CA certificate) is signed by it with its key identifier, while the old key, now a
 * {@link RetiredCaKey}, keeps signing CRLs and OCSP answers for what it issued until its own
 * certificate expires.
 *
 * <p>Validity (RFC 4210 §4.4.1): NewWithNew gets the CA's configured lifetime from now; OldWithNew
 * keeps the old certificate's notBefore and notAfter; NewWithOld starts with NewWithNew and ends
 * with the old certificate (the old key's end). An issuing CA's new certificate is the parent's
 * certification of the new key, never past the parent's notAfter.
 *
 * <p>Refused, with nothing written and the refusal audited: a CA name not in service, a revoked
 * CA (or an issuing CA whose parent is revoked), a changeover already made that has not yet taken
 * effect (the key store holds a newer key than the one in service) or one at the same instant as
 * the current key's start, and an alias already in the key store.
 *
 * <p>Two CA admins are needed (002 §7.2.1.1, {@link SecondCaAdmin}): the first one's request
 * proposes the changeover, a second, different CA admin's request within an hour makes it; both
 * pass every check above first, and the changeover's audit event names both.
 */
public final class CaKeyChangeover {

    private final CaKeyStore keyStore;
    private final CaCertificateFactory certificates;
    private final CaRegistry registry;
    private final CaRepository publications;
    private final PublicationUrls urls;
    private final AuditLog audit;
    private final Clock clock;
    private final SecondCaAdmin secondAdmin;

    /**
     * What a request came to: a changeover proposed and waiting for a second CA admin, or made.
     *
     * @param proposal   the proposal made or confirmed
     * @param changeover the changeover made, or {@code null} while it waits for a second CA admin
     */
    public record Outcome(SecondCaAdmin.Proposal proposal, KeyChangeover changeover) {
        public boolean done() {
            return changeover != null;
        }
    }

    /** @param secondAdmin the proposals waiting for a second CA admin, shared with the CA revocations */
    public CaKeyChangeover(CaKeyStore keyStore, CaCertificateFactory certificates, CaRegistry registry,
                           CaRepository publications, PublicationUrls urls, AuditLog audit, Clock clock,
                           SecondCaAdmin secondAdmin) {
        this.secondAdmin = Objects.requireNonNull(secondAdmin, "secondAdmin");
        this.keyStore = Objects.requireNonNull(keyStore, "keyStore");
        this.certificates = Objects.requireNonNull(certificates, "certificates");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.publications = Objects.requireNonNull(publications, "publications");
        this.urls = Objects.requireNonNull(urls, "urls");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Rolls {@code caName} to a new key at a CA administrator's request (REST, {@code egov-pki ca
     * changeover}): FORBIDDEN for anyone without {@link Role#CA_ADMIN}, checked before anything is
     * looked up, and audited like every refusal. The first CA admin's request proposes the
     * changeover; a second CA admin's makes it.
     */
    public Outcome roll(Operator operator, String caName) {
        Objects.requireNonNull(operator, "operator");
        if (!operator.has(Role.CA_ADMIN)) {
            DomainException refused = new DomainException(DomainException.Kind.FORBIDDEN, "operator '"
                    + operator.uid() + "' may not change a CA's key; that needs the CA_ADMIN role");
            audit.record(AuditEvent.failure(clock.instant(), AuditEventType.CA_KEY_CHANGEOVER, operator.dn(),
                    List.of(String.valueOf(caName)), Map.of("error", refused.publicMessage())));
            throw refused;
        }
        return roll(caName, operator.dn(), operator);
    }

    /**
     * Rolls {@code caName} to a new key.
     *
     * @param actor who asked (an operator DN, or {@link AuditEvent#SYSTEM} for the offline command)
     * @return the certificates made; the key store holds the new key, and the directory the new
     *     certificate and the links, when this returns
     * @throws DomainException NOT_FOUND for an unknown CA, CONFLICT for the other refusals above
     */
    KeyChangeover roll(String caName, String actor) {
        return roll(caName, actor, null).changeover();
    }

    /** @param operator the CA admin asking, whose request a second must confirm; {@code null}: none (tests) */
    private Outcome roll(String caName, String actor, Operator operator) {
        Objects.requireNonNull(actor, "actor");
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        try {
            return rollChecked(caName, actor, now, operator);
        } catch (DomainException e) {
            audit.record(AuditEvent.failure(clock.instant(), AuditEventType.CA_KEY_CHANGEOVER, actor,
                    List.of(String.valueOf(caName)), Map.of("error", e.publicMessage())));
            throw e;
        }
    }

    private Outcome rollChecked(String caName, String actor, Instant now, Operator operator) {
        CertificateAuthority ca = registry.find(caName).orElseThrow(() -> DomainException.notFound("no CA named '"
                + caName + "'; the CAs are " + registry.all().stream().map(CertificateAuthority::name).toList()));
        requireNotRevoked(ca.name(), "CA '" + ca.name() + "' is revoked: a revoked CA gets no new key; "
                + "create a new CA under a new name instead");
        CertificateAuthority parent = null;
        if (ca.role() == CaRole.ISSUING) {
            parent = registry.find(ca.definition().parent()).orElseThrow(() -> new DomainException(
                    DomainException.Kind.CONFLICT, "the parent '" + ca.definition().parent() + "' of CA '"
                    + ca.name() + "' is not in service; it must certify the new key"));
            requireNotRevoked(parent.name(), "the parent '" + parent.name() + "' of CA '" + ca.name()
                    + "' is revoked and cannot certify a new key");
        }
        CaKeyGenerations.Generation newest = new CaKeyGenerations(keyStore).of(ca.name()).get(0);
        if (!newest.certificate().equals(ca.certificate())) {
            throw new DomainException(DomainException.Kind.CONFLICT, "a key changeover of CA '" + ca.name()
                    + "' is already made (key store entry '" + newest.alias() + "', serial "
                    + SerialNumbers.toHex(newest.certificate().getSerialNumber())
                    + ") and takes effect at the next start; start the server before rolling the key again");
        }
        Instant currentStart = ca.certificate().getNotBefore().toInstant();
        if (!now.isAfter(currentStart)) {
            throw new DomainException(DomainException.Kind.CONFLICT, "CA '" + ca.name() + "' got its current key at "
                    + currentStart + ", the same instant as this changeover (" + now
                    + "); a changeover is done already — wait a second and check whether another is needed");
        }
        String alias = CaKeyGenerations.alias(ca.name(), now);
        if (keyStore.contains(alias)) {
            throw new DomainException(DomainException.Kind.CONFLICT, "the key store " + keyStore
                    + " already has an entry '" + alias + "'; entries are never overwritten — nothing was changed");
        }
        requireSameSubject(ca);
        if (operator == null) {
            return new Outcome(null, changeoverNow(ca, parent, now, alias, actor, null));
        }
        CertificateAuthority certifier = parent;
        SecondCaAdmin.Outcome<KeyChangeover> decided = secondAdmin.decide(operator, ca.name(), "key changeover of CA "
                + ca.name(), "", proposal -> changeoverNow(ca, certifier, now, alias, actor, proposal));
        return new Outcome(decided.proposal(), decided.result());
    }

    /**
     * Makes the new key, its certificate (and a root's links), stores and publishes them: the changeover
     * once every check passed and, for an operator, two CA admins agreed ({@code proposal}, else {@code null}).
     */
    private KeyChangeover changeoverNow(CertificateAuthority ca, CertificateAuthority parent, Instant now, String alias,
                                        String actor, SecondCaAdmin.Proposal proposal) {
        KeyPair keyPair = keyStore.newKeyPair(ca.algorithm());
        CaSigner newSigner = keyStore.signer(keyPair);
        X509Certificate oldCertificate = ca.certificate();
        X509Certificate newCertificate;
        X509Certificate newWithOld = null;
        X509Certificate oldWithNew = null;
        List<X509Certificate> chain = new ArrayList<>();
        try {
            if (parent == null) {
                String repository = urls.caRepositoryUrl(ca.name());
                newCertificate = certificates.selfSignedRoot(CaCertificateRequest.root(ca.definition().subjectDn(),
                        ca.definition().validity(), repository), newSigner);
                newWithOld = certificates.linkCertificate(keyPair.getPublic(), oldCertificate, ca.signer(),
                        newCertificate.getNotBefore().toInstant(), oldCertificate.getNotAfter().toInstant(), repository);
                oldWithNew = certificates.linkCertificate(oldCertificate.getPublicKey(), newCertificate, newSigner,
                        oldCertificate.getNotBefore().toInstant(), oldCertificate.getNotAfter().toInstant(), repository);
                chain.add(newCertificate);
            } else {
                CaCertificateRequest request = CaCertificateRequest.issuingCa(ca.definition().subjectDn(),
                        ca.definition().validity(), parent.crlUrl(urls), parent.crlLdapUrl(urls),
                        urls.caCertificateUrl(parent.name()), urls.ocspUrl(parent.name()));
                newCertificate = certificates.subordinate(request, keyPair.getPublic(), parent.certificate(),
                        parent.signer());
                chain.add(newCertificate);
                chain.addAll(parent.chain());
            }
        } catch (IllegalArgumentException e) {
            throw new DomainException(DomainException.Kind.CONFLICT, "CA '" + ca.name()
                    + "' cannot be rolled to a new key: " + e.getMessage());
        }
        try {
            keyStore.put(alias, keyPair.getPrivate(), chain.toArray(X509Certificate[]::new));
        } catch (IllegalStateException e) {
            throw new DomainException(DomainException.Kind.CONFLICT, "the new key of CA '" + ca.name()
                    + "' could not be stored as '" + alias + "': " + e.getMessage() + "; nothing was changed");
        }
        KeyChangeover changeover = new KeyChangeover(ca.name(), ca.role(), alias, now, oldCertificate, newCertificate,
                newWithOld, oldWithNew, chain);
        // Published at once, beside the old certificate, so relying parties can fetch the new one and
        // the links before the next start makes the new key current.
        List<X509Certificate> inService = new ArrayList<>();
        inService.add(newCertificate);
        inService.add(oldCertificate);
        ca.retiredKeys().forEach(retired -> inService.add(retired.certificate()));
        List<byte[]> pairs = new ArrayList<>(publications.crossCertificatePairs(ca.name()));
        if (changeover.role() == CaRole.ROOT) {
            pairs.add(CaKeyHistory.pair(newWithOld, oldWithNew));
        }
        try {
            publications.publishKeyHistory(ca.name(), CaKeyHistory.der(inService), pairs);
        } catch (DomainException e) {
            throw new DomainException(e.kind(), "the new key of CA '" + ca.name() + "' is stored as '" + alias
                    + "', but publishing its certificate" + (changeover.role() == CaRole.ROOT ? " and links" : "")
                    + " failed: " + e.getMessage() + "; the next start publishes "
                    + (changeover.role() == CaRole.ROOT ? "them" : "it") + " (and makes the new key current)",
                    null, e);
        }
        Map<String, String> details = details(changeover);
        if (proposal != null) {
            details.put("proposedBy", proposal.proposerDn());
        }
        audit.record(AuditEvent.success(clock.instant(), AuditEventType.CA_KEY_CHANGEOVER, actor,
                List.of(ca.name()), details));
        return changeover;
    }

    private void requireNotRevoked(String name, String message) {
        if (registry.isRevoked(name) || publications.caRevocation(name).isPresent()) {
            throw new DomainException(DomainException.Kind.CONFLICT, message);
        }
    }

    /** The new certificate must name the same CA: a changed subjectDn in the configuration is refused. */
    private static void requireSameSubject(CertificateAuthority ca) {
        X500Name configured = DistinguishedNames.parse(ca.definition().subjectDn());
        X500Name certified = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
        if (!configured.equals(certified)) {
            throw new DomainException(DomainException.Kind.CONFLICT, "CA '" + ca.name() + "' is configured as \""
                    + ca.definition().subjectDn() + "\" but its certificate names \""
                    + ca.certificate().getSubjectX500Principal().getName()
                    + "\"; a key changeover keeps the CA's name: restore subjectDn in the configuration");
        }
    }

    private static Map<String, String> details(KeyChangeover changeover) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("role", changeover.role().name());
        details.put("alias", changeover.alias());
        details.put("oldSerial", SerialNumbers.toHex(changeover.oldCertificate().getSerialNumber()));
        details.put("newSerial", SerialNumbers.toHex(changeover.newCertificate().getSerialNumber()));
        details.put("newSha256", sha256(changeover.newCertificate()));
        details.put("newNotAfter", changeover.newCertificate().getNotAfter().toInstant().toString());
        if (changeover.role() == CaRole.ROOT) {
            details.put("newWithOldSerial", SerialNumbers.toHex(changeover.newWithOld().getSerialNumber()));
            details.put("oldWithNewSerial", SerialNumbers.toHex(changeover.oldWithNew().getSerialNumber()));
        }
        return details;
    }

    private static String sha256(X509Certificate certificate) {
        try {
            return Fingerprints.sha256Hex(certificate.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException("a certificate just made cannot be encoded", e);
        }
    }
}
