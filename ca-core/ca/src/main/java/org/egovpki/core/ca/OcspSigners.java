package org.egovpki.core.ca;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditLog;
import org.egovpki.core.crypto.CaKeyStore;
import org.egovpki.core.crypto.CaSigner;
import org.egovpki.core.ocsp.OcspResponder;
import org.egovpki.core.ocsp.ServedCa;
import org.egovpki.core.x509.Fingerprints;
import org.egovpki.core.x509.OcspSigningCertificates;
import org.egovpki.core.x509.SerialNumbers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delegated OCSP responders of the CAs in service (configuration {@code ocsp.signer:
 * delegated}): per CA, a key of the CA's algorithm and a short-lived certificate the CA issues
 * for it with id-kp-OCSPSigning and id-pkix-ocsp-nocheck, so the CA key signs once per renewal
 * instead of once per OCSP response.
 *
 * <p>Invariants:
 * <ul>
 * <li>The keys live in the CA key store like the CA keys, under
 *     {@code <ca name>.ocsp.<yyyyMMdd't'HHmmss>} with the chain responder, CA, …, root; an alias
 *     is never reused, so a renewal adds an entry and the previous one stays (expired keys are
 *     never used again: the key issued last wins).</li>
 * <li>A CA's responder is renewed when less than a third of {@code validity} is left, unless it
 *     already ends with the CA itself (a new one could not end later). {@link #servedCas()} does
 *     this at start-up and {@link #renewDue} while the server runs, so a server that runs for
 *     longer than {@code validity} never signs with an expired certificate.</li>
 * <li>Each issuance is recorded in the audit trail first, then stored with its key in one
 *     atomic key store write. A crash in between leaves an audited certificate whose key is
 *     gone, which nobody can use; the trail never misses a responder that can sign.</li>
 * </ul>
 *
 * <p>Lives in package {@code ca} because only here may a CA's signer be used. Thread-safe: all
 * methods are synchronised on this instance.
 */
public final class OcspSigners {

    private static final Logger LOG = LoggerFactory.getLogger(OcspSigners.class);

    static final String ALIAS_INFIX = ".ocsp.";

    private final CaRegistry cas;
    private final CaKeyStore keyStore;
    private final DelegatedKeys keys;
    private final OcspSigningCertificates certificates;
    private final AuditLog audit;
    private final Clock clock;
    private final SecureRandom random;
    /** Guarded by {@code this}: changed by {@link #changeValidity} (a configuration reload). */
    private Duration validity;
    /** Guarded by {@code this}: the responder in use per CA name. */
    private final Map<String, ServedCa> current = new HashMap<>();

    /**
     * @param validity lifetime of each responder certificate, e.g. 30 days (see
     *                 {@link OcspSigningCertificates#MAX_VALIDITY})
     */
    public OcspSigners(CaRegistry cas, CaKeyStore keyStore, OcspSigningCertificates certificates, AuditLog audit,
                       Clock clock, SecureRandom random, Duration validity) {
        this.cas = Objects.requireNonNull(cas, "cas");
        this.keyStore = Objects.requireNonNull(keyStore, "keyStore");
        this.certificates = Objects.requireNonNull(certificates, "certificates");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.validity = allowed(validity);
        this.keys = new DelegatedKeys(keyStore, ALIAS_INFIX, "OCSP responder key", clock, validity);
    }

    private static Duration allowed(Duration validity) {
        Objects.requireNonNull(validity, "validity");
        if (validity.isNegative() || validity.isZero() || validity.compareTo(OcspSigningCertificates.MAX_VALIDITY) > 0) {
            throw new IllegalArgumentException("delegated OCSP responder validity " + validity + " is not allowed; use 1 to "
                    + OcspSigningCertificates.MAX_VALIDITY.toDays() + " days");
        }
        return validity;
    }

    /**
     * A new lifetime for responder certificates (a configuration reload): the next one issued, at
     * the next renewal, gets it, and renewal falls due when less than a third of it is left.
     * Certificates already issued keep their own notAfter: they were valid when signed and stay so.
     */
    public synchronized void changeValidity(Duration validity) {
        this.validity = allowed(validity);
        keys.validity(validity);
    }

    /** The lifetime of the responder certificates issued from now on. */
    public synchronized Duration validity() {
        return validity;
    }

    /**
     * Every CA in service with its delegated responder: the newest stored one, or a new one when
     * there is none or it is due for renewal.
     */
    public synchronized List<ServedCa> servedCas() {
        List<ServedCa> served = new ArrayList<>();
        for (CertificateAuthority ca : cas.all()) {
            served.add(currentFor(ca));
            // A key retired at a key changeover answers for what it issued with its own signature
            // (RFC 6960 §4.2.2.2, the CA itself): no responder is certified under a key that issues nothing.
            for (RetiredCaKey retired : ca.retiredKeys()) {
                served.add(new ServedCa(ca.name(), retired.certificate(), retired.signer()));
            }
        }
        return List.copyOf(served);
    }

    /**
     * Renews every responder that is due and hands the result to {@code responder}; does nothing
     * when none is due. Meant to run periodically (more often than a third of the validity).
     *
     * @return how many responders were renewed
     */
    public synchronized int renewDue(OcspResponder responder) {
        Objects.requireNonNull(responder, "responder");
        Map<String, ServedCa> before = new HashMap<>(current);
        List<ServedCa> served = servedCas();
        int renewed = 0;
        for (ServedCa ca : served) {
            if (ca.delegated() && before.get(ca.name()) != ca) {
                renewed++;
            }
        }
        if (renewed > 0) {
            responder.updateSigners(served);
        }
        return renewed;
    }

    private ServedCa currentFor(CertificateAuthority ca) {
        ServedCa responder = current.get(ca.name());
        if (responder == null) {
            responder = keys.newest(ca)
                    .map(stored -> new ServedCa(ca.name(), ca.certificate(), stored.signer(), stored.certificate()))
                    .orElse(null);
        }
        if (responder == null || keys.due(responder.responderCertificate(), ca.certificate())) {
            responder = issue(ca);
        }
        current.put(ca.name(), responder);
        return responder;
    }

    private ServedCa issue(CertificateAuthority ca) {
        KeyPair keyPair = keyStore.newKeyPair(ca.algorithm());
        X509Certificate certificate = certificates.issue(ca.certificate(), ca.signer(), keyPair.getPublic(), validity);
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(certificate);
        chain.addAll(ca.chain());
        String alias = keys.newAlias(ca.name());
        String serial = SerialNumbers.toHex(certificate.getSerialNumber());
        String fingerprint;
        try {
            fingerprint = Fingerprints.sha256Hex(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("the new OCSP responder certificate of CA '" + ca.name()
                    + "' cannot be encoded", e);
        }
        // Audited before the key is stored: the trail never misses a responder that can sign.
        audit.record(AuditEvent.success(clock.instant(), AuditEventType.OCSP_RESPONDER_ISSUED, AuditEvent.SYSTEM,
                List.of(ca.name(), serial), Map.of(
                        "keyStoreAlias", alias,
                        "algorithm", ca.algorithm().name(),
                        "subject", certificate.getSubjectX500Principal().getName(),
                        "notAfter", certificate.getNotAfter().toInstant().toString(),
                        "sha256", fingerprint)));
        keyStore.put(alias, keyPair.getPrivate(), chain.toArray(X509Certificate[]::new));
        CaSigner signer = keys.readBack(alias);
        LOG.info("Issued delegated OCSP responder certificate {} for CA {} (serial {}, valid until {})", alias,
                ca.name(), serial, certificate.getNotAfter().toInstant());
        return new ServedCa(ca.name(), ca.certificate(), signer, certificate);
    }
}
