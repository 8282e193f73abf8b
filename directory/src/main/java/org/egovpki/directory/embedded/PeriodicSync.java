package org.egovpki.directory.embedded;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.server.core.api.DirectoryService;
import org.apache.directory.server.core.api.OperationManager;
import org.apache.directory.server.core.api.partition.Partition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Without sync on write, copies the JDBM partitions' transaction logs into their database files
 * every {@code period}, or as soon as one log is longer than {@code maxLogBytes} (checked every
 * second), so a log never grows to JDBM's own bound of 2,000 transactions (~0.9 GB with our
 * indices) and a restart after a crash replays little. ApacheDS 2.0.0.AM27 does not do it by
 * itself: its {@code syncPeriodMillis} is read by nothing.
 *
 * <p>A sync commits whatever the record manager holds, so it runs under the directory's write lock
 * ({@link OperationManager#lockWrite()}): adds, modifies, deletes and renames hold that lock for
 * their whole transaction, and binds (whose password policy bookkeeping writes too) hold the read
 * lock, so no write is half done when the log is copied.
 */
final class PeriodicSync implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PeriodicSync.class);
    private static final long TICK_MILLIS = 1_000;

    private final DirectoryService service;
    private final long periodNanos;
    private final long maxLogBytes;
    private final ScheduledExecutorService scheduler;
    private long lastSync = System.nanoTime();
    private boolean failing;

    private PeriodicSync(DirectoryService service, Duration period, long maxLogBytes) {
        this.service = service;
        this.periodNanos = period.toNanos();
        this.maxLogBytes = maxLogBytes;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "egov-pki-directory-sync");
            thread.setDaemon(true);
            return thread;
        });
    }

    static PeriodicSync start(DirectoryService service, Duration period, long maxLogBytes) {
        PeriodicSync sync = new PeriodicSync(service, period, maxLogBytes);
        long tick = Math.min(TICK_MILLIS, Math.max(1, period.toMillis()));
        sync.scheduler.scheduleWithFixedDelay(sync::tick, tick, tick, TimeUnit.MILLISECONDS);
        return sync;
    }

    private void tick() {
        try {
            boolean due = System.nanoTime() - lastSync >= periodNanos;
            if (!due) {
                for (CrashSafeJdbmPartition partition : partitions(service)) {
                    if (partition.logLength() > maxLogBytes) {
                        due = true;
                        break;
                    }
                }
            }
            if (due) {
                syncAll(service);
                lastSync = System.nanoTime();
                if (failing) {
                    LOG.info("The periodic directory sync works again");
                    failing = false;
                }
            }
        } catch (RuntimeException e) {
            // Writes stay durable in the logs; only the logs grow. Said once, not every second.
            if (!failing) {
                LOG.error("The periodic directory sync failed (the transaction logs grow until it works): {}",
                        e.toString());
                failing = true;
            }
        }
    }

    /** Syncs every JDBM partition of {@code service} under its write lock. */
    static void syncAll(DirectoryService service) {
        if (!service.isStarted()) {
            return;
        }
        OperationManager operations = service.getOperationManager();
        operations.lockWrite();
        try {
            for (CrashSafeJdbmPartition partition : partitions(service)) {
                partition.sync();
            }
        } catch (LdapException e) {
            throw new IllegalStateException("the directory's partitions could not be synced: " + e.getMessage(), e);
        } finally {
            operations.unlockWrite();
        }
    }

    private static List<CrashSafeJdbmPartition> partitions(DirectoryService service) {
        Set<Partition> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<CrashSafeJdbmPartition> jdbm = new ArrayList<>();
        List<Partition> all = new ArrayList<>(service.getPartitions());
        all.add(service.getSystemPartition());
        for (Partition partition : all) {
            if (partition instanceof CrashSafeJdbmPartition crashSafe && seen.add(partition)) {
                jdbm.add(crashSafe);
            }
        }
        return jdbm;
    }

    @Override
    public void close() {
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("The periodic directory sync did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
