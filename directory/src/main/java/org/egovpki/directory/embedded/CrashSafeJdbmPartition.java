package org.egovpki.directory.embedded;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import jdbm.RecordManager;
import jdbm.recman.BaseRecordManager;
import jdbm.recman.CacheRecordManager;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.exception.LdapOtherException;
import org.apache.directory.api.ldap.model.schema.SchemaManager;
import org.apache.directory.server.core.api.DnFactory;
import org.apache.directory.server.core.api.partition.PartitionWriteTxn;
import org.apache.directory.server.core.partition.impl.btree.jdbm.JdbmPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ApacheDS's JDBM partition with the two defects that corrupt it after a {@code kill -9} or under
 * concurrent reads taken out (see docs/directory.md, "Crash behaviour and repair"). Both live in JDBM 1
 * (apacheds-jdbm1 2.0.0-M3) as ApacheDS 2.0.0.AM27 drives it:
 *
 * <ol>
 *   <li><b>A transaction log replayed at open leaves a stale file header in memory.</b>
 *       {@code BaseRecordManager}'s constructor reads block 0 (the file header: page lists, roots)
 *       before {@code getTransactionManager()} replays the {@code .lg} log into the {@code .db}
 *       file, and nothing re-reads it. When the crash came after a commit reached the log but
 *       before block 0 reached the database file, the first write after the restart allocates
 *       pages the replayed transaction already uses and overwrites them: {@code ERR_562 Offset
 *       too large for record header}, then {@code ERR_557} on the rollback and {@code ERR_554
 *       double get for block} for every later operation on that page. The cure: replay the log
 *       with a throw-away record manager, closed without writing, before ApacheDS opens the file
 *       ({@link #replayLog(Path)}).</li>
 *   <li><b>Sync-on-write runs outside the record manager's lock.</b> With {@code syncOnWrite},
 *       each commit then calls {@code TransactionManager.synchronizeLog()}, which writes the
 *       logged blocks into the database file and recycles them, without holding the record
 *       manager's monitor. Search cursors are iterated outside ApacheDS's operation lock, so a
 *       concurrent fetch moves the same blocks between JDBM's unsynchronised lists and seeks the
 *       same {@code RandomAccessFile}: a block can be read from, or written to, another block's
 *       offset. The cure: commit and synchronise while holding the record manager's monitors, in
 *       the order every fetch takes them ({@link CrashSafeWriteTxn}).</li>
 * </ol>
 *
 * <p>Each LDAP write stays one JDBM transaction, fsynced in the log before the client gets its
 * answer: the master table and every index live in one record manager (one {@code .db} and one
 * {@code .lg} file per partition), so a crash never leaves an index out of step with the entries.
 */
final class CrashSafeJdbmPartition extends JdbmPartition {

    private static final Logger LOG = LoggerFactory.getLogger(CrashSafeJdbmPartition.class);
    /** A log holding no transaction: the stream header, one block-data header and the magic short. */
    static final long EMPTY_LOG_LENGTH = 8;
    private static final Field RECORD_MANAGER = recordManagerField();

    private volatile RecordManager recordManager;

    CrashSafeJdbmPartition(SchemaManager schemaManager, DnFactory dnFactory) {
        super(schemaManager, dnFactory);
    }

    @Override
    protected void doInit() throws LdapException {
        if (!initialized) {
            try {
                if (replayLog(new File(new File(getPartitionPath()), getId()).toPath())) {
                    LOG.warn("Partition '{}' was not closed cleanly: its transaction log was replayed into the "
                            + "database file before opening it", getId());
                }
            } catch (IOException e) {
                throw new LdapOtherException("the transaction log of partition '" + getId() + "' in "
                        + getPartitionPath() + " cannot be replayed: " + e.getMessage(), e);
            }
        }
        super.doInit();
    }

    /**
     * Replays a JDBM transaction log into its database file and truncates it, with a record
     * manager that is closed at once. That manager read the file header before the replay; the
     * rollback drops it (dirty, when the database file was still empty) and reads the replayed one,
     * so closing writes nothing. The record manager opened afterwards reads the replayed header.
     *
     * @param base the files' common name without extension ({@code .db}, {@code .lg})
     * @return whether the log held transactions (the last stop was not clean)
     */
    static boolean replayLog(Path base) throws IOException {
        Path log = Path.of(base + ".lg");
        Path db = Path.of(base + ".db");
        if (!Files.exists(db) || !Files.exists(log) || Files.size(log) <= EMPTY_LOG_LENGTH) {
            return false;
        }
        BaseRecordManager once = new BaseRecordManager(base.toString());
        once.getTransactionManager(); // replays the log, then truncates it
        once.rollback();
        once.close();
        return true;
    }

    @Override
    public PartitionWriteTxn beginWriteTransaction() {
        return new CrashSafeWriteTxn(this::recordManager, isSyncOnWrite());
    }

    /** Commits and writes the log into the database file under the record manager's locks. */
    @Override
    public synchronized void sync() throws LdapException {
        if (!initialized) {
            return;
        }
        try {
            CrashSafeWriteTxn.commitAndSynchronize(recordManager(), true);
        } catch (IOException e) {
            throw new LdapOtherException(e.getMessage(), e);
        }
    }

    /** The length of this partition's transaction log in bytes (0 if there is none yet). */
    long logLength() {
        Path log = new File(new File(getPartitionPath()), getId() + ".lg").toPath();
        try {
            return Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** The partition's record manager, read once it exists (JdbmPartition keeps it private). */
    private RecordManager recordManager() {
        RecordManager known = recordManager;
        if (known == null) {
            try {
                known = (RecordManager) RECORD_MANAGER.get(this);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot read JdbmPartition.recMan", e);
            }
            if (known == null) {
                throw new IllegalStateException("partition '" + getId() + "' has no record manager yet");
            }
            recordManager = known;
        }
        return known;
    }

    private static Field recordManagerField() {
        try {
            Field field = JdbmPartition.class.getDeclaredField("recMan");
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError("JdbmPartition has no field 'recMan': this class is written for "
                    + "ApacheDS 2.0.0.AM27; check the JDBM crash fixes against the new version");
        }
    }

    /**
     * A write transaction whose commit holds the record manager's monitors (the cache's, then the
     * base record manager's: the order of every fetch, so it cannot deadlock) while JDBM writes its
     * log and, with sync-on-write, copies the log into the database file.
     */
    static final class CrashSafeWriteTxn extends PartitionWriteTxn {

        private final Supplier<RecordManager> recordManager;
        private final boolean syncOnWrite;

        CrashSafeWriteTxn(Supplier<RecordManager> recordManager, boolean syncOnWrite) {
            this.recordManager = recordManager;
            this.syncOnWrite = syncOnWrite;
        }

        @Override
        public void commit() throws IOException {
            commitAndSynchronize(recordManager.get(), syncOnWrite);
        }

        @Override
        public void abort() throws IOException {
            recordManager.get().rollback();
        }

        @Override
        public void close() throws IOException {
            commit();
        }

        static void commitAndSynchronize(RecordManager manager, boolean synchronizeLog) throws IOException {
            BaseRecordManager base = manager instanceof CacheRecordManager cache
                    ? (BaseRecordManager) cache.getRecordManager() : (BaseRecordManager) manager;
            synchronized (manager) {
                synchronized (base) {
                    manager.commit();
                    if (synchronizeLog) {
                        base.getTransactionManager().synchronizeLog();
                    }
                }
            }
        }
    }
}
