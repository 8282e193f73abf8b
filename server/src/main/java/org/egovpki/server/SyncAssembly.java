package org.egovpki.server;

import java.time.Clock;
import org.egovpki.core.audit.AuditLog;
import org.egovpki.core.sync.SyncStore;
import org.egovpki.core.sync.SyncTargets;
import org.egovpki.server.sync.FileSyncCredentials;
import org.egovpki.server.sync.QuartzCronSyntax;

/**
 * The web-service sync of issue 12 (docs/sync.md): each part of it is assembled by its own method
 * here, and {@link EgovPkiServer} calls them in start-up order.
 */
final class SyncAssembly {

    /** Where the targets' secrets are kept, under the data directory's {@code secrets/}. */
    static final String SECRETS = "sync";

    private SyncAssembly() {
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
