package org.egovpki.server;

import java.time.Clock;
import java.time.Duration;
import org.egovpki.core.sync.SyncBodies;
import org.egovpki.core.sync.SyncCapture;
import org.egovpki.core.sync.SyncDeliveryTrigger;
import org.egovpki.core.sync.SyncEventSource;
import org.egovpki.core.sync.SyncFanOut;
import org.egovpki.core.sync.SyncSigner;
import org.egovpki.directory.LdapSyncOutbox;
import org.egovpki.directory.LdapSyncStore;
import org.egovpki.server.config.EgovPkiConfig;

/**
 * The web-service sync (issue 12, docs/sync.md): the targets' store, the outbox and its capture
 * worker, the delivery, the signer. Each part of the sync has its own method here.
 */
final class SyncAssembly {

    /** How often the capture worker sweeps for markers a lost wake-up or a crash left behind. */
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(5);

    private SyncAssembly() {
    }

    /** The sync targets, their queues and delivery state, over the CA's directory connections. */
    static LdapSyncStore store(DirectoryAssembly directory) {
        return new LdapSyncStore(directory.pool(), directory.names());
    }

    /**
     * The outbox: the capture worker that turns the changes' owed-event markers into outbox entries
     * and fans them out to the targets, sweeping at once (what a stop left behind) and every
     * {@link #SWEEP_INTERVAL}. Bind the result as the lifecycle-events route's sync bean
     * ({@code Flows.lifecycleEvents(camel, ocsp, km, capture)}); it stops with the server. Only when
     * {@code sync.enabled}: the CA's stores write the markers then too ({@link CaAssembly}).
     *
     * @param bodies  each target's message body ({@code SyncEventBodies})
     * @param signer  the CAs' sync-signing certificates
     * @param trigger wakes a target's delivery when a message is enqueued for it
     */
    static SyncCapture startOutbox(DirectoryAssembly directory, CaAssembly ca, RaAssembly ra, LdapSyncStore store,
                                   SyncBodies bodies, SyncSigner signer, SyncDeliveryTrigger trigger, Clock clock,
                                   Teardown teardown) {
        LdapSyncOutbox outbox = new LdapSyncOutbox(directory.pool(), directory.names(), clock);
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
