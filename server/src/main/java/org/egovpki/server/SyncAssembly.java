package org.egovpki.server;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.egovpki.core.audit.AuditLog;
import org.egovpki.core.ca.CmsSyncSigner;
import org.egovpki.core.ca.SyncSigners;
import org.egovpki.core.sync.DirectorySyncCommands;
import org.egovpki.core.sync.SyncBodies;
import org.egovpki.core.sync.SyncCapture;
import org.egovpki.core.sync.SyncCredentials;
import org.egovpki.core.sync.SyncDeliveryTrigger;
import org.egovpki.core.ca.SyncEventSource;
import org.egovpki.core.sync.SyncFanOut;
import org.egovpki.core.sync.SyncSigner;
import org.egovpki.core.sync.SyncStore;
import org.egovpki.core.sync.SyncTargets;
import org.egovpki.core.x509.SyncSigningCertificates;
import org.egovpki.directory.LdapSyncCommandInbox;
import org.egovpki.directory.LdapSyncOutbox;
import org.egovpki.directory.LdapSyncStore;
import org.egovpki.routes.Backoff;
import org.egovpki.routes.CxfSoapTransport;
import org.egovpki.routes.HttpSyncTransport;
import org.egovpki.routes.SyncDelivery;
import org.egovpki.routes.SyncMetrics;
import org.egovpki.routes.SyncRetention;
import org.egovpki.routes.SyncTransport;
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
    /** How often the capture worker sweeps for markers a lost wake-up or a crash left behind. */
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(5);

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

    /**
     * The commands CA admins add below targets in an LDAP browser, run through {@code targets} as
     * the operator who added each, if that operator is active (not disabled, no password change pending).
     */
    static DirectorySyncCommands commands(DirectoryAssembly directory, SyncTargets targets, RaAssembly ra,
                                          AuditLog audit, Clock clock) {
        return new DirectorySyncCommands(new LdapSyncCommandInbox(directory.pool(), directory.names()), targets,
                ra.activeOperators()::findByDn, audit, clock);
    }

    /** The targets' secrets: written by {@link #targets}, read by the delivery. */
    static FileSyncCredentials credentials(DataDirectory data) {
        return new FileSyncCredentials(data.secret(SECRETS));
    }

    /**
     * The delivery side, once started: the trigger the fan-out calls after enqueueing, the metrics
     * {@code GET /metrics} renders, and the store the pull endpoint reads.
     */
    record Delivery(SyncDeliveryTrigger trigger, SyncMetrics metrics, SyncStore store) {
    }

    /**
     * Step 12, after the other flows, when {@code sync.enabled}: the delivery route over {@code store}
     * with the retry settings of {@code sync.*}, and the hourly purge of delivered messages past
     * {@code sync.retentionDays} and of outbox events as old that every target has. Deliveries run on
     * the route's own threads, never an issuance's.
     */
    static Delivery startDelivery(EgovPkiConfig.Sync config, RoutesAssembly routes, SyncStore store,
                                  LdapSyncOutbox outbox, SyncCredentials credentials, Clock clock) {
        SyncMetrics metrics = new SyncMetrics(store, clock);
        Backoff backoff = new Backoff(config.initialDelay(), config.maxDelay(), () -> ThreadLocalRandom.current().nextDouble());
        SyncDeliveryTrigger trigger = routes.syncDelivery(camel -> new SyncDelivery(store, SyncTransport.byBinding(
                        new HttpSyncTransport(credentials, config.requestTimeout(), clock),
                        new CxfSoapTransport(camel, credentials, config.requestTimeout(), clock)),
                backoff, config.maxAttempts(), clock, metrics),
                new SyncRetention(store, outbox, config.retention(), clock));
        return new Delivery(trigger, metrics, store);
    }

    /** The CAs' outboxes ({@code ou=outbox,ou=sync}), over the CA's directory connections. */
    static LdapSyncOutbox outbox(DirectoryAssembly directory, Clock clock) {
        return new LdapSyncOutbox(directory.pool(), directory.names(), clock);
    }

    /** The sync targets, their queues and delivery state, over the CA's directory connections. */
    static LdapSyncStore store(DirectoryAssembly directory) {
        return new LdapSyncStore(directory.pool(), directory.names());
    }

    /**
     * The outbox: the capture worker that turns the changes' owed-event markers into outbox entries
     * and fans them out to the targets, sweeping at once (what a stop left behind) and every
     * {@link #SWEEP_INTERVAL}. Bound as the lifecycle-events route's sync bean; it stops with the
     * server. Only when {@code sync.enabled}: the CA's stores write the markers then too ({@link CaAssembly}).
     *
     * @param bodies  each target's message body ({@code SyncEventBodies})
     * @param signer  the CAs' sync-signing certificates
     * @param trigger wakes a target's delivery when a message is enqueued for it
     */
    static SyncCapture startOutbox(LdapSyncOutbox outbox, CaAssembly ca, RaAssembly ra, LdapSyncStore store,
                                   SyncBodies bodies, SyncSigner signer, SyncDeliveryTrigger trigger, Clock clock,
                                   Teardown teardown) {
        SyncFanOut fanOut = new SyncFanOut(outbox, store, bodies, signer, trigger, clock);
        SyncCapture capture = new SyncCapture(outbox,
                new SyncEventSource(ca.certificates(), ra.requests(), ca.repository()), outbox, fanOut);
        teardown.add(capture);
        capture.start(SWEEP_INTERVAL);
        return capture;
    }

    /** Whether the sync runs at all: {@code sync.enabled}. */
    static boolean enabled(EgovPkiConfig config) {
        return config.sync().enabled();
    }
}
