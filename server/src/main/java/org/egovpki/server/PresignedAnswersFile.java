package org.egovpki.server;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.egovpki.core.ocsp.OcspResponder;
import org.egovpki.core.ocsp.PresignedAnswer;
import org.egovpki.core.ocsp.PresignedSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pre-signed OCSP answers on disk ({@code <data>/ocsp/presigned.bin}, {@link PresignedSnapshot}),
 * so that a server started locked still answers relying parties about the certificates asked
 * about before the stop (docs/revocation.md, "Pre-signed answers").
 *
 * <p>Invariants:
 * <ul>
 * <li>The file is replaced atomically: written to a temporary file beside it (owner-only, 0600, in
 *     a 0700 directory), forced to disk, then renamed over it; a crash leaves the old file or the
 *     new one, never a mix (and {@link PresignedSnapshot#read} refuses a partial file anyway).</li>
 * <li>Written only when the set of answers changed since the last write ({@link
 *     OcspResponder#presignedChanges()}): by the refresh sweep ({@link #save()}, at most every
 *     {@link #interval}: a minute, longer for a large set) and at an orderly stop ({@link #close()}, whatever the interval). A
 *     start whose set never changed leaves the previous file in place.</li>
 * <li>Never stops the server: a failed write is logged and tried again by the sweep after
 *     {@link #interval} (and at the stop); a file
 *     that cannot be read is logged with the reason and ignored ({@link #load}).</li>
 * </ul>
 *
 * <p>Thread-safe: the sweep's write and the stop's write are serialised.
 */
public final class PresignedAnswersFile implements AutoCloseable {

    /** Least time between two writes by the sweep: with many answers a write is large (1-2 KiB each). */
    static final Duration MIN_INTERVAL = Duration.ofMinutes(1);
    /** Answers per minute of {@link #interval}: a set signed ahead for every certificate is written less often. */
    static final int ANSWERS_PER_MINUTE = 10_000;
    /** Longest time between two writes by the sweep, however many answers. */
    static final Duration MAX_INTERVAL = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(PresignedAnswersFile.class);

    private final Path file;
    private final OcspResponder responder;
    private final int maxEntries;
    private final Clock clock;
    private long written;
    /** The sweep writes again from this time on. */
    private long nextSaveMillis = Long.MIN_VALUE;
    private boolean closed;

    /**
     * @param file       {@link DataDirectory#presignedOcspAnswers()}
     * @param maxEntries {@code ocsp.presignedMaxEntries}
     */
    public PresignedAnswersFile(Path file, OcspResponder responder, int maxEntries, Clock clock) {
        this.file = Objects.requireNonNull(file, "file");
        this.responder = Objects.requireNonNull(responder, "responder");
        this.maxEntries = maxEntries;
        this.clock = Objects.requireNonNull(clock, "clock");
        // The set a start begins with is empty; only a change makes it worth replacing the file.
        this.written = responder.presignedChanges();
    }

    /**
     * The sweep's write (the {@code ocsp-presigned-refresh} route, after the re-signing): writes
     * when the set changed and the last write is at least {@link #interval} ago.
     *
     * @return whether the file was written
     */
    public synchronized boolean save() {
        if (closed || clock.millis() < nextSaveMillis) {
            return false;
        }
        return writeIfChanged();
    }

    /** The orderly stop's write: the set as it is now, if it changed since the last write. */
    @Override
    public synchronized void close() {
        if (!closed) {
            writeIfChanged();
            closed = true;
        }
    }

    private boolean writeIfChanged() {
        long changes = responder.presignedChanges();
        if (changes == written) {
            return false;
        }
        List<PresignedAnswer> answers = responder.presignedAnswers();
        // Success or not, the sweep waits the interval: a full disk is warned about once a minute, not every run.
        nextSaveMillis = clock.millis() + interval(answers.size()).toMillis();
        try {
            int count = write(file, answers, maxEntries);
            written = changes;
            LOG.debug("Wrote {} pre-signed OCSP answer(s) to {}", count, file);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not write the pre-signed OCSP answers to {} ({}); the previous file stays, the sweep "
                    + "tries again in {}", file, e.toString(), interval(answers.size()));
            return false;
        }
    }

    /**
     * The sweep's least time between writes of {@code answers} answers: a minute per {@value
     * #ANSWERS_PER_MINUTE} (at least {@link #MIN_INTERVAL}, at most {@link #MAX_INTERVAL}), so that a
     * large set — every unexpired certificate's, with {@code ocsp.presignAhead} — is not rewritten
     * every minute. An answer in the file stays good for a locked start until its nextUpdate, so an
     * older file after a crash only holds fewer answers.
     */
    static Duration interval(int answers) {
        long minutes = Math.max(1, (answers + ANSWERS_PER_MINUTE - 1) / ANSWERS_PER_MINUTE);
        Duration interval = MIN_INTERVAL.multipliedBy(minutes);
        return interval.compareTo(MAX_INTERVAL) > 0 ? MAX_INTERVAL : interval;
    }

    /**
     * Replaces {@code file} atomically with {@code answers} (at most {@code maxEntries}).
     *
     * @return how many answers were written
     */
    static int write(Path file, List<PresignedAnswer> answers, int maxEntries) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        createPrivateDirectory(directory);
        Path temporary = directory.resolve(file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        int count;
        try {
            try (FileChannel channel = FileChannel.open(temporary, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), ownerOnly("rw-------"))) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
                count = PresignedSnapshot.write(out, answers, maxEntries);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + directory + " cannot rename atomically", e);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
        syncDirectory(directory);
        return count;
    }

    /**
     * The answers persisted at {@code file}: empty when there is none, and empty (with a warning
     * that says why and what to do) when it cannot be read. Never throws.
     */
    public static List<PresignedAnswer> load(Path file, int maxEntries) {
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
            List<PresignedAnswer> answers = PresignedSnapshot.read(in, maxEntries);
            LOG.info("Read {} pre-signed OCSP answer(s) from {}", answers.size(), file);
            return answers;
        } catch (NoSuchFileException e) {
            LOG.info("No pre-signed OCSP answers at {}: OCSP answers tryLater until the CA is unlocked", file);
            return List.of();
        } catch (PresignedSnapshot.Unreadable e) {
            LOG.warn("The pre-signed OCSP answers in {} are ignored: {}. OCSP answers tryLater until the CA is "
                    + "unlocked; the file is replaced once the unlocked server has answered again", file, e.getMessage());
            return List.of();
        } catch (IOException | RuntimeException e) {
            LOG.warn("The pre-signed OCSP answers in {} cannot be read ({}) and are ignored; OCSP answers tryLater "
                    + "until the CA is unlocked", file, e.toString());
            return List.of();
        }
    }

    private static void createPrivateDirectory(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        Files.createDirectories(directory.getParent());
        try {
            Files.createDirectory(directory, ownerOnly("rwx------"));
        } catch (FileAlreadyExistsException e) {
            // created meanwhile
        }
    }

    private static FileAttribute<?>[] ownerOnly(String permissions) {
        boolean posix = java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString(permissions))} : new FileAttribute<?>[0];
    }

    /** Forces the rename itself to disk (POSIX); where a directory cannot be opened, the rename stands unforced. */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot force directory {} to disk: {}", directory, e.toString());
        }
    }
}
