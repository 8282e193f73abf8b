package org.egovpki.core.ca;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditLog;
import org.egovpki.core.crypto.CaKeyStore;
import org.egovpki.core.crypto.CaSigner;
import org.egovpki.core.x509.Fingerprints;
import org.egovpki.core.x509.SerialNumbers;
import org.egovpki.core.x509.SyncSigningCertificates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync-signing keys of the CAs in service (docs/sync.md, "The signature"): per CA, a key of
 * the CA's algorithm and a short-lived certificate the CA issues for it with
 * id-egovpki-kp-syncSigning, so the CA key signs once per renewal instead of once per sync message.
 * Modelled on {@link OcspSigners}.
 *
 * <p>Invariants:
 * <ul>
 * <li>The keys live in the CA key store like the CA keys, under
 *     {@code <ca name>.sync.<yyyyMMdd't'HHmmss>} with the chain signer, CA, …, root; an alias is
 *     never reused, so a renewal adds an entry and the previous one stays (the key issued last
 *     wins, an older key is never used again, even after a restart).</li>
 * <li>A CA's signer is renewed with a new key when less than a third of {@code validity} is left,
 *     unless it already ends with the CA itself. {@link #certifyAll()} does this at start-up and
 *     {@link #renewDue()} while the server runs; {@link #current} never hands out a signer whose
 *     certificate has expired.</li>
 * <li>Each issuance is recorded in the audit trail ({@link AuditEventType#SYNC_SIGNER_ISSUED})
 *     first, then stored with its key in one atomic key store write.</li>
 * <li>The certificates are not certificate records: they never appear on a CRL and OCSP does not
 *     know them, as with the delegated OCSP responders. A signer is retired by
 *     {@link #renewNow(String)}, which certifies a new key at once; its short validity bounds how
 *     long a retired key's certificate stays valid (docs/sync.md).</li>
 * </ul>
 *
 * <p>Lives in package {@code ca} because only here may a CA's signer be used. Thread-safe:
 * issuing and renewing are synchronised on this instance; {@link #current} reads without a lock
 * while the current signer is valid, because it runs for every sync message.
 */
public final class SyncSigners {

    private static final Logger LOG = LoggerFactory.getLogger(SyncSigners.class);

    static final String ALIAS_INFIX = ".sync.";

    private final CaRegistry cas;
    private final CaKeyStore keyStore;
    private final DelegatedKeys keys;
    private final SyncSigningCertificates certificates;
    private final AuditLog audit;
    private final Clock clock;
    private final SecureRandom random;
    private final Duration validity;
    /** The signer in use per CA name; written only while holding {@code this}. */
    private final Map<String, SyncSigningKey> current = new ConcurrentHashMap<>();

    /**
     * @param validity lifetime of each sync-signing certificate ({@code sync.signerValidityDays}),
     *                 at most {@link SyncSigningCertificates#MAX_VALIDITY}
     */
    public SyncSigners(CaRegistry cas, CaKeyStore keyStore, SyncSigningCertificates certificates, AuditLog audit,
                       Clock clock, SecureRandom random, Duration validity) {
        this.cas = Objects.requireNonNull(cas, "cas");
        this.keyStore = Objects.requireNonNull(keyStore, "keyStore");
        this.certificates = Objects.requireNonNull(certificates, "certificates");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.validity = Objects.requireNonNull(validity, "validity");
        if (validity.isNegative() || validity.isZero() || validity.compareTo(SyncSigningCertificates.MAX_VALIDITY) > 0) {
            throw new IllegalArgumentException("sync-signing certificate validity " + validity + " is not allowed; use 1 to "
                    + SyncSigningCertificates.MAX_VALIDITY.toDays() + " days (sync.signerValidityDays)");
        }
        this.keys = new DelegatedKeys(keyStore, ALIAS_INFIX, "sync-signing key", clock, validity);
    }

    /**
     * Start-up: every CA in service with its sync-signing certificate, the newest stored one or a
     * new one when there is none or it is due for renewal.
     *
     * @return the current sync-signing certificate of each CA
     */
    public synchronized List<X509Certificate> certifyAll() {
        List<X509Certificate> signers = new ArrayList<>();
        for (CertificateAuthority ca : cas.all()) {
            signers.add(currentFor(ca).certificate());
        }
        return List.copyOf(signers);
    }

    /**
     * Renews every sync signer that is due; does nothing (touches neither the key store nor a CA
     * key) when none is. Meant to run periodically, more often than a third of the validity.
     *
     * @return how many signers were renewed
     */
    public synchronized int renewDue() {
        int renewed = 0;
        for (CertificateAuthority ca : cas.all()) {
            SyncSigningKey before = current.get(ca.name());
            if (currentFor(ca) != before) {
                renewed++;
            }
        }
        return renewed;
    }

    /**
     * Retires the sync signer of {@code caName} at once: certifies a new key, which signs every
     * message from now on (a suspected key compromise; docs/sync.md).
     *
     * @return the new sync-signing certificate
     * @throws IllegalArgumentException if there is no CA of that name
     */
    public synchronized X509Certificate renewNow(String caName) {
        SyncSigningKey key = issue(ca(caName));
        current.put(caName, key);
        return key.certificate();
    }

    /** The current sync-signing certificate of {@code caName}, then its CA chain up to the root. */
    public List<X509Certificate> chain(String caName) {
        return current(caName).chain();
    }

    /**
     * The key that signs sync messages of {@code caName} now: lock-free while the current one is
     * valid, else the newest stored or a new one.
     *
     * @throws IllegalArgumentException if there is no CA of that name
     */
    SyncSigningKey current(String caName) {
        Objects.requireNonNull(caName, "caName");
        SyncSigningKey key = current.get(caName);
        if (key != null && clock.instant().isBefore(key.certificate().getNotAfter().toInstant())) {
            return key;
        }
        synchronized (this) {
            return currentFor(ca(caName));
        }
    }

    private CertificateAuthority ca(String caName) {
        return cas.find(caName).orElseThrow(() -> new IllegalArgumentException("there is no CA named '" + caName
                + "' to sign sync messages for; known: " + cas.all().stream().map(CertificateAuthority::name).toList()));
    }

    private SyncSigningKey currentFor(CertificateAuthority ca) {
        SyncSigningKey key = current.get(ca.name());
        if (key == null) {
            key = keys.newest(ca).map(stored -> new SyncSigningKey(ca.name(), stored.signer(), stored.chain()))
                    .orElse(null);
        }
        if (key == null || keys.due(key.certificate(), ca.certificate())) {
            key = issue(ca);
        }
        current.put(ca.name(), key);
        return key;
    }

    private SyncSigningKey issue(CertificateAuthority ca) {
        KeyPair keyPair = keyStore.newKeyPair(ca.algorithm());
        X509Certificate certificate = certificates.issue(ca.name(), ca.certificate(), ca.signer(), keyPair.getPublic(),
                validity);
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(certificate);
        chain.addAll(ca.chain());
        String alias = keys.newAlias(ca.name());
        String serial = SerialNumbers.toHex(certificate.getSerialNumber());
        String fingerprint;
        try {
            fingerprint = Fingerprints.sha256Hex(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("the new sync-signing certificate of CA '" + ca.name()
                    + "' cannot be encoded", e);
        }
        // Audited before the key is stored: the trail never misses a key that can sign.
        audit.record(AuditEvent.success(clock.instant(), AuditEventType.SYNC_SIGNER_ISSUED, AuditEvent.SYSTEM,
                List.of(ca.name(), serial), Map.of(
                        "keyStoreAlias", alias,
                        "algorithm", ca.algorithm().name(),
                        "subject", certificate.getSubjectX500Principal().getName(),
                        "notAfter", certificate.getNotAfter().toInstant().toString(),
                        "sha256", fingerprint)));
        keyStore.put(alias, keyPair.getPrivate(), chain.toArray(X509Certificate[]::new));
        CaSigner signer = keys.readBack(alias);
        LOG.info("Issued sync-signing certificate {} for CA {} (serial {}, valid until {})", alias, ca.name(), serial,
                certificate.getNotAfter().toInstant());
        return new SyncSigningKey(ca.name(), signer, chain);
    }
}
