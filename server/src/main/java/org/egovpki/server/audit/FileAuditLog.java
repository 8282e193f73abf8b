package org.egovpki.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.egovpki.core.audit.AuditAnchor;
import org.egovpki.core.audit.AuditAnchors;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail as an append-only JSON-lines file, one event a line, each line carrying a
 * sequence number and the SHA-256 of the previous line, so a deleted, reordered or edited line
 * breaks the chain. Every record is forced to disk before {@link #record} returns.
 *
 * <p>The chain alone cannot show that lines were cut off the end, or that the tail was replaced
 * and its hashes recomputed. Two anchors make that visible:
 * <ul>
 *   <li><b>Sealed checkpoints in the file</b> ({@link AuditEventType#AUDIT_CHECKPOINT}) every
 *       {@value #CHECKPOINT_EVERY} events and at start and stop: they seal the preceding line's
 *       sequence and hash with the {@link AuditSeal} key, and record how far the directory anchor
 *       had got, so a later anchor below that is known to have been set back.</li>
 *   <li><b>The directory anchor</b> ({@link AuditAnchors}): once a line is on disk, an
 *       {@link AnchorWriter} on a thread of its own advances the anchor to the newest line (sealed),
 *       one directory write for however many events arrived since the last, so {@link #record}
 *       never waits for the directory. It is written after the file, so it may lag the file (by
 *       the events of the last fraction of a second, or more after a crash), never lead it; an
 *       anchor beyond the file's end means lines were removed, an anchor whose hash differs from
 *       the line at its sequence means a rewrite. {@link #checkpoint} (start, stop) and
 *       {@link #close} bring it up to the file before they return.</li>
 * </ul>
 * A directory that cannot be written does not stop auditing (the file is the record): the anchor
 * lags, the failure is logged, and the writer retries until the directory answers.
 * {@link AuditTrailVerifier} checks all of it.
 *
 * <p><b>Rotation</b> ({@link AuditRotation}): before an event is written to a file that is due
 * (by size, or a new day), the file is closed with a sealed {@code rotate} checkpoint, renamed to
 * {@code audit.<first>-<last>.jsonl} (one atomic rename: the switch), and the event starts a new
 * {@code audit.jsonl} whose first line carries the hash of the checkpoint. Sequences go on, so the
 * files read in order ({@link AuditFiles}) are exactly the one file there would have been. A crash
 * after the checkpoint leaves the full file in place (it is closed at the next event); one after the
 * rename leaves no file being written, and opening the trail continues the chain from the newest
 * closed file: nothing is lost or written twice at any point. Closed files are never deleted here.
 * Writers are kept apart by a lock on {@code audit.jsonl.lock}, which a rename does not move.
 */
public final class FileAuditLog implements AuditLog, AutoCloseable {

    /** The server's trail, {@code <data>/audit/audit.jsonl}. */
    public static final String SERVER_TRAIL = "server";
    /** The command line's trail, {@code <data>/audit/audit-cli.jsonl}. */
    public static final String CLI_TRAIL = "cli";
    /** Events between two checkpoints in the file. */
    public static final int CHECKPOINT_EVERY = 100;

    static final String GENESIS = "0".repeat(64);

    private static final Logger LOG = LoggerFactory.getLogger(FileAuditLog.class);

    private final ObjectMapper json = new ObjectMapper();
    private final Path file;
    private final String trail;
    private final AuditSeal seal;
    private final Clock clock;
    private final FileChannel lock;
    private final RotationObserver observer;
    private FileChannel channel;
    private AuditRotation rotation;
    /** Time of the first line of the file being written; {@code null} while it is empty. */
    private Instant fileFirstTime;
    /** Sequence of the first line of the file being written; 0 while it is empty. */
    private long fileFirstSequence;
    private long sequence;
    private String previousHash;
    private long sinceCheckpoint;
    /** Moves the directory anchor behind the file; {@code null} until {@link #anchorTo}. */
    private AnchorWriter anchor;

    /**
     * Opens (or creates) the trail, never rotated. A last line without its newline is a record that
     * never completed ({@link #record} had not returned) and is cut off before appending resumes.
     */
    public FileAuditLog(Path file, String trail, AuditSeal seal, Clock clock) {
        this(file, trail, seal, clock, AuditRotation.NEVER, RotationObserver.NONE);
    }

    /** As {@link #FileAuditLog(Path, String, AuditSeal, Clock)}, rotated by {@code rotation}. */
    public FileAuditLog(Path file, String trail, AuditSeal seal, Clock clock, AuditRotation rotation) {
        this(file, trail, seal, clock, rotation, RotationObserver.NONE);
    }

    /** With an observer of the rotation's steps (tests stop there, as a crash would). */
    FileAuditLog(Path file, String trail, AuditSeal seal, Clock clock, AuditRotation rotation,
                 RotationObserver observer) {
        this.file = Objects.requireNonNull(file, "file");
        this.trail = Objects.requireNonNull(trail, "trail");
        this.seal = Objects.requireNonNull(seal, "seal");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.rotation = Objects.requireNonNull(rotation, "rotation");
        this.observer = Objects.requireNonNull(observer, "observer");
        FileChannel locked = null;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            // One writer at a time (two CLI commands at once wait for each other), released on close. The
            // lock is on a file of its own: the trail's file is renamed when it rotates.
            locked = FileChannel.open(file.resolveSibling(file.getFileName() + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            locked.lock();
            dropTornLine(file);
            readTail(file);
            this.channel = openForAppend(file);
            this.lock = locked;
        } catch (IOException e) {
            closeQuietly(locked);
            throw new UncheckedIOException("cannot open the audit trail " + file + ": " + e.getMessage(), e);
        }
    }

    /** A step of a rotation after which a crash leaves the files in a state opening must continue from. */
    enum RotationStep {
        /** The full file is closed with its sealed checkpoint, not yet renamed. */
        SEALED,
        /** The full file is renamed; no file is being written yet. */
        RENAMED
    }

    /** Sees each {@link RotationStep}; an exception from it stops the rotation there, as a crash would. */
    interface RotationObserver {
        RotationObserver NONE = step -> { };

        void after(RotationStep step);
    }

    private static FileChannel openForAppend(Path path) throws IOException {
        return FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    /** From now on (the next event) files rotate by {@code rotation} (SIGHUP applies a new one). */
    public synchronized void rotateBy(AuditRotation rotation) {
        this.rotation = Objects.requireNonNull(rotation, "rotation");
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** The trail's name ({@link #SERVER_TRAIL} or {@link #CLI_TRAIL}). */
    public String trail() {
        return trail;
    }

    /** The last sequence written (0 for an empty trail). */
    public synchronized long lastSequence() {
        return sequence;
    }

    @Override
    public synchronized long record(AuditEvent event) {
        rotateIfDue(event.time());
        long written = append(event);
        sinceCheckpoint++;
        if (sinceCheckpoint >= CHECKPOINT_EVERY) {
            writeCheckpoint("every " + CHECKPOINT_EVERY + " events");
        }
        return written;
    }

    /**
     * From now on the directory anchor follows the file. With {@code reset} the stored anchor is
     * replaced by one for the current last line whatever it held (only after a finding about it
     * has been recorded); otherwise it is advanced from {@code current} (the anchor read at start).
     * Either happens before this returns; later moves happen in the background.
     */
    public synchronized void anchorTo(AuditAnchors anchors, AuditAnchor current, boolean reset) {
        Objects.requireNonNull(anchors, "anchors");
        if (anchor != null) {
            throw new IllegalStateException("the audit trail " + file + " follows its directory anchor already");
        }
        long anchored = current == null ? 0 : current.sequence();
        if (sequence > 0 && reset) {
            anchors.replace(seal.anchor(trail, sequence, previousHash, clock.instant()));
            anchored = sequence;
        }
        anchor = new AnchorWriter(trail, seal, anchors, clock, anchored);
        if (sequence > 0) {
            anchor.offer(sequence, previousHash);
            anchor.flush();
        }
    }

    /**
     * Writes a checkpoint line sealing the line before it, for start and stop. The directory anchor
     * is brought up to the file first, so the checkpoint records how far it got (a stop records the
     * final anchor), and moved to the checkpoint line afterwards; both in the caller's thread, so
     * this waits for the directory (the event path, {@link #record}, never does).
     *
     * @param reason why now: {@code start}, {@code stop}
     */
    public synchronized void checkpoint(String reason) {
        if (sequence == 0) {
            return;
        }
        if (anchor != null) {
            anchor.flush();
        }
        rotateIfDue(clock.instant());
        writeCheckpoint(reason);
        if (anchor != null) {
            anchor.flush();
        }
    }

    /** The checkpoint line itself; it records the anchor as far as the directory is known to have it. */
    private void writeCheckpoint(String reason) {
        Instant now = clock.instant();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("reason", reason);
        details.put("sealedSequence", Long.toString(sequence));
        details.put("sealedHash", previousHash);
        details.put("anchoredSequence", Long.toString(anchor == null ? 0 : anchor.anchored()));
        details.put("key", seal.keyId());
        details.put("seal", HexFormat.of().formatHex(seal.seal(trail, sequence, previousHash, now)));
        append(AuditEvent.success(now, AuditEventType.AUDIT_CHECKPOINT, AuditEvent.SYSTEM, List.of(), details));
        sinceCheckpoint = 0;
    }

    /**
     * Closes the file being written if it is due: a sealed checkpoint ends it, then one atomic rename
     * (the switch); the next line opens the new file with the checkpoint's hash as its {@code prev}.
     */
    private void rotateIfDue(Instant now) {
        long size;
        try {
            size = channel.size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of the audit trail " + file + ": " + e.getMessage(), e);
        }
        if (!rotation.due(size, fileFirstTime, now)) {
            return;
        }
        writeCheckpoint("rotate");
        observer.after(RotationStep.SEALED);
        long first = fileFirstSequence;
        Path closed = AuditFiles.closedName(file, first, sequence);
        try {
            Files.move(file, closed, StandardCopyOption.ATOMIC_MOVE);
            forceDirectory(file.toAbsolutePath().getParent());
            observer.after(RotationStep.RENAMED);
            FileChannel next = openForAppend(file);
            channel.close();
            channel = next;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rotate the audit trail " + file + " to " + closed + ": "
                    + e.getMessage(), e);
        }
        fileFirstTime = null;
        fileFirstSequence = 0;
        LOG.info("Audit trail {} rotated: sequences {} to {} are in {}", file, first, sequence,
                closed.getFileName());
    }

    /** A rename is durable once the directory is: the rotation must not come undone by a power cut. */
    private static void forceDirectory(Path directory) throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    private long append(AuditEvent event) {
        long next = sequence + 1;
        ObjectNode line = json.createObjectNode();
        line.put("seq", next);
        line.put("time", event.time().toString());
        line.put("type", event.type().name());
        line.put("actor", event.actor());
        line.putPOJO("subjects", event.subjects());
        line.putPOJO("details", event.details());
        line.put("outcome", event.outcome().name());
        line.put("prev", previousHash);
        try {
            String text = json.writeValueAsString(line);
            String hash = sha256(text);
            ByteBuffer buffer = ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
            sequence = next;
            previousHash = hash;
            if (fileFirstTime == null) {
                fileFirstTime = event.time();
                fileFirstSequence = next;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the audit trail " + file + ": " + e.getMessage(), e);
        }
        // Only after the line is on disk: the anchor may lag the file, never lead it.
        if (anchor != null) {
            anchor.offer(next, previousHash);
        }
        return next;
    }

    /** Brings the directory anchor up to the file (the final anchor), then closes the file. */
    @Override
    public synchronized void close() {
        if (anchor != null) {
            anchor.close();
        }
        try {
            channel.close();
            lock.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the open failure is what the caller reports
            }
        }
    }

    /**
     * Where the chain goes on: the last line of the file being written, or, when that is empty or
     * missing (a crash right after a rotation's rename), of the newest closed file.
     */
    private void readTail(Path path) throws IOException {
        sequence = 0;
        previousHash = GENESIS;
        fileFirstTime = null;
        fileFirstSequence = 0;
        List<String> lines = lines(path);
        if (!lines.isEmpty()) {
            JsonNode first = parse(lines.get(0));
            fileFirstSequence = first == null ? 1 : first.path("seq").asLong(1);
            fileFirstTime = first == null ? clock.instant() : time(first);
        } else {
            List<AuditFiles.Closed> closed = AuditFiles.closed(path);
            if (closed.isEmpty()) {
                return;
            }
            lines = lines(closed.get(closed.size() - 1).file());
            if (lines.isEmpty()) {
                return;
            }
        }
        String last = lines.get(lines.size() - 1);
        JsonNode parsed = parse(last);
        // Not ours: the start-up check reports it; the chain goes on from it so nothing is lost.
        sequence = parsed == null ? lines.size() : parsed.path("seq").asLong(lines.size());
        previousHash = sha256(last);
    }

    private static List<String> lines(Path path) throws IOException {
        if (!Files.exists(path)) {
            return List.of();
        }
        return Files.readAllLines(path, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
    }

    private JsonNode parse(String line) {
        try {
            return json.readTree(line);
        } catch (IOException e) {
            return null;
        }
    }

    private Instant time(JsonNode line) {
        try {
            return Instant.parse(line.path("time").asText());
        } catch (java.time.format.DateTimeParseException e) {
            return clock.instant();
        }
    }

    /**
     * A crash mid-write can leave a last line without its newline: that record never completed
     * (record() had not returned, and no anchor points at it), so it is cut off before appending resumes.
     */
    private static void dropTornLine(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        byte[] bytes = Files.readAllBytes(path);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        if (end < bytes.length) {
            LOG.warn("Audit trail {} ended in an incomplete record ({} bytes, written when the process died); "
                    + "it is cut off", path, bytes.length - end);
            try (FileChannel truncate = FileChannel.open(path, StandardOpenOption.WRITE)) {
                truncate.truncate(end);
                truncate.force(true);
            }
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
