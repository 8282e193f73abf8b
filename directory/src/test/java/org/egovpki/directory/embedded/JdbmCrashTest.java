package org.egovpki.directory.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import jdbm.helper.MRU;
import jdbm.recman.BaseRecordManager;
import jdbm.recman.CacheRecordManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDBM crash behaviour under the embedded directory, on JDBM itself (no ApacheDS): the file
 * states a {@code kill -9} leaves, and commits racing with reads. The record sizes and counts
 * make every commit allocate pages, as a certificate record does.
 */
class JdbmCrashTest {

    private static final int RECORD_SIZE = 3_000;

    @TempDir
    Path tmp;

    @Test
    void recordsCommittedOnlyToTheLogSurviveTheRestartAndTheWritesAfterIt() throws IOException {
        Path live = tmp.resolve("live/p");
        Files.createDirectories(live.getParent());
        BaseRecordManager before = open(live);
        List<Long> ids = new ArrayList<>();
        insert(before, ids, 0, 20);
        before.commit();
        before.getTransactionManager().synchronizeLog();
        // Committed (fsynced in the log, acknowledged), not yet copied into the .db file: the
        // files a kill -9 leaves between the log write and the database write.
        insert(before, ids, 20, 60);
        before.commit();
        Path crashed = copyFiles(live, tmp.resolve("crashed/p"));

        assertThat(CrashSafeJdbmPartition.replayLog(crashed)).as("the log held a transaction").isTrue();
        assertThat(Files.size(Path.of(crashed + ".lg"))).as("the replayed log is truncated")
                .isEqualTo(CrashSafeJdbmPartition.EMPTY_LOG_LENGTH);
        BaseRecordManager after = open(crashed);
        insert(after, ids, 60, 100);
        after.commit();

        for (int i = 0; i < ids.size(); i++) {
            assertRecord(after, ids.get(i), i);
        }
    }

    @Test
    void aTransactionCutOffInTheLogIsDiscardedAndTheCommittedOnesKept() throws IOException {
        Path live = tmp.resolve("live/p");
        Files.createDirectories(live.getParent());
        BaseRecordManager manager = open(live);
        List<Long> ids = new ArrayList<>();
        insert(manager, ids, 0, 20);
        manager.commit();
        insert(manager, ids, 20, 40);
        manager.commit();
        long firstTwo = Files.size(Path.of(live + ".lg"));
        insert(manager, ids, 40, 60);
        manager.commit();
        Path crashed = copyFiles(live, tmp.resolve("crashed/p"));
        // The kill came while the third commit was being written to the log: never acknowledged.
        try (var log = new java.io.RandomAccessFile(crashed + ".lg", "rw")) {
            log.setLength(firstTwo + (log.length() - firstTwo) / 2);
        }

        CrashSafeJdbmPartition.replayLog(crashed);
        BaseRecordManager after = open(crashed);
        List<Long> more = new ArrayList<>();
        insert(after, more, 100, 140);
        after.commit();

        for (int i = 0; i < 40; i++) {
            assertRecord(after, ids.get(i), i);
        }
        for (int i = 0; i < more.size(); i++) {
            assertRecord(after, more.get(i), 100 + i);
        }
    }

    @Test
    void aCleanLogIsLeftAlone() throws IOException {
        Path live = tmp.resolve("p");
        BaseRecordManager manager = open(live);
        insert(manager, new ArrayList<>(), 0, 5);
        manager.commit();
        manager.getTransactionManager().synchronizeLog();

        assertThat(CrashSafeJdbmPartition.replayLog(live)).isFalse();
        assertThat(CrashSafeJdbmPartition.replayLog(tmp.resolve("absent"))).isFalse();
    }

    @Test
    void readsDuringSyncOnWriteCommitsSeeNoTornOrMisplacedBlocks() throws Exception {
        BaseRecordManager base = open(tmp.resolve("p"));
        CacheRecordManager manager = new CacheRecordManager(base, new MRU<>(10));
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ids.add(manager.insert(record(i)));
        }
        CrashSafeJdbmPartition.CrashSafeWriteTxn.commitAndSynchronize(manager, true);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread reader = new Thread(() -> {
            Random random = new Random(1);
            while (writing.get()) {
                int i = random.nextInt(ids.size());
                try {
                    byte[] read = (byte[]) manager.fetch(ids.get(i));
                    if (!Arrays.equals(read, record(i))) {
                        failures.add(new AssertionError("record " + i + " read back wrong"));
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }
        }, "jdbm-reader");
        reader.start();
        Random random = new Random(2);
        try {
            for (int commit = 0; commit < 60 && failures.isEmpty(); commit++) {
                for (int k = 0; k < 5; k++) {
                    int i = random.nextInt(ids.size());
                    manager.update(ids.get(i), record(i));
                }
                manager.insert(record(7));
                CrashSafeJdbmPartition.CrashSafeWriteTxn.commitAndSynchronize(manager, true);
            }
        } finally {
            writing.set(false);
            reader.join();
        }

        assertThat(failures).as("reader failures (JDBM ERR_554/ERR_562, wrong data)").isEmpty();
    }

    private static BaseRecordManager open(Path base) throws IOException {
        BaseRecordManager manager = new BaseRecordManager(base.toString());
        manager.getTransactionManager().setMaximumTransactionsInLog(2000); // as JdbmPartition does
        return manager;
    }

    private static void insert(BaseRecordManager manager, List<Long> ids, int from, int to) throws IOException {
        for (int i = from; i < to; i++) {
            ids.add(manager.insert(record(i)));
        }
    }

    private static void assertRecord(BaseRecordManager manager, long id, int i) throws IOException {
        assertThat(Arrays.equals((byte[]) manager.fetch(id), record(i))).as("record %d reads back as written", i)
                .isTrue();
    }

    private static byte[] record(int i) {
        byte[] bytes = new byte[RECORD_SIZE];
        Arrays.fill(bytes, (byte) i);
        return bytes;
    }

    private static Path copyFiles(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        for (String extension : List.of(".db", ".lg")) {
            Files.copy(Path.of(from + extension), Path.of(to + extension), StandardCopyOption.REPLACE_EXISTING);
        }
        return to;
    }
}
