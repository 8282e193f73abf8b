package org.egovpki.server;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import org.egovpki.core.audit.AuditLog;
import org.egovpki.core.ca.CmsSyncSigner;
import org.egovpki.core.ca.SyncSigners;
import org.egovpki.core.sync.SyncStore;
import org.egovpki.core.sync.SyncTargets;
import org.egovpki.core.x509.SyncSigningCertificates;
import org.egovpki.server.config.EgovPkiConfig;
import org.egovpki.server.sync.FileSyncCredentials;
import org.egovpki.server.sync.QuartzCronSyntax;

/**
 * The web-service sync to e-government systems (docs/sync.md): its signer, outbox, targets and
 * delivery, each built in its own method below, and {@link EgovPkiServer} calls them in start-up order.
 */
final class SyncAssembly {

    /** How often sync signers are checked for renewal; far below a third of their shortest validity (1 day). */
    static final Duration SIGNER_RENEWAL_CHECK = Duration.ofHours(1);
    /** Where the targets' secrets are kept, under the data directory's {@code secrets/}. */
    static final String SECRETS = "sync";

    private SyncAssembly() {
    }

    /**
     * The sync-signing keys of the CAs, certified or renewed now (first start: one key store write
     * and one audit event per CA), for the fan-out's {@link CmsSyncSigner} and the renewal route;
     * {@code null} when {@code sync.enabled} is false, so no key is made for nothing.
     */
    static SyncSigners signers(EgovPkiConfig config, CaAssembly ca, AuditLog audit, Clock clock, SecureRandom random) {
        if (!config.sync().enabled()) {
            return null;
        }
        SyncSigners signers = new SyncSigners(ca.registry(), ca.keyStore(), new SyncSigningCertificates(clock, random),
                audit, clock, random, config.sync().signerValidity());
        signers.certifyAll();
        return signers;
    }

    /** What signs each message when it is enqueued: detached CMS by the CA's sync-signing key. */
    static CmsSyncSigner signer(SyncSigners signers) {
        return new CmsSyncSigner(signers);
    }

    /**
     * The administration of targets (REST {@code /api/v1/sync/targets}, CLI {@code egov-pki sync
     * target}): over the directory's sync store, with the secrets in {@code <data>/secrets/sync/}.
     */
    static SyncTargets targets(SyncStore store, DataDirectory data, AuditLog audit, Clock clock) {
        return new SyncTargets(store, credentials(data), audit, clock, new QuartzCronSyntax());
    }

    /** The targets' secrets: written by {@link #targets}, read by the delivery. */
    static FileSyncCredentials credentials(DataDirectory data) {
        return new FileSyncCredentials(data.secret(SECRETS));
    }
}
