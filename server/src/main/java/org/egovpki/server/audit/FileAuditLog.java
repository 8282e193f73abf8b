package org.egovpki.server.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 *   <li><b>The directory anchor</b> ({@link AuditAnchors}): after each line is on disk, the
 *       anchor is advanced to it (sealed). It is written after the file, so a crash in between
 *       leaves it behind the file, never ahead; an anchor beyond the file's end means lines were
 *       removed, an anchor whose hash differs from the line at its sequence means a rewrite.</li>
 * </ul>
 * A directory that cannot be written does not stop auditing (the file is the record): the anchor
 * lags, the failure is logged once, and the next event that reaches the directory catches up.
 * {@link AuditTrailVerifier} checks all of it.
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
    private final FileChannel channel;
    private long sequence;
    private String previousHash;
    private long sinceCheckpoint;
    private AuditAnchors anchors;
    /** The sequence the directory anchor is known to seal (0: none, or not known). */
    private long anchored;
    private boolean anchorFailing;

    /**
     * Opens (or creates) the trail. A last line without its newline is a record that never
     * completed ({@link #record} had not returned) and is cut off before appending resumes.
     */
    public FileAuditLog(Path file, String trail, AuditSeal seal, Clock clock) {
        this.file = Objects.requireNonNull(file, "file");
        this.trail = Objects.requireNonNull(trail, "trail");
        this.seal = Objects.requireNonNull(seal, "seal");
        this.clock = Objects.requireNonNull(clock, "clock");
        FileChannel opened = null;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            opened = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            // One writer at a time (two CLI commands at once wait for each other), released on close.
            opened.lock();
            dropTornLine(file);
            readTail(file);
            this.channel = opened;
        } catch (IOException e) {
            closeQuietly(opened);
            throw new UncheckedIOException("cannot open the audit trail " + file + ": " + e.getMessage(), e);
        }
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
        long written = append(event);
        sinceCheckpoint++;
        if (sinceCheckpoint >= CHECKPOINT_EVERY) {
            checkpoint("every " + CHECKPOINT_EVERY + " events");
        }
        return written;
    }

    /**
     * From now on the directory anchor follows the file. With {@code reset} the stored anchor is
     * replaced by one for the current last line whatever it held (only after a finding about it
     * has been recorded); otherwise it is advanced from {@code current} (the anchor read at start).
     */
    public synchronized void anchorTo(AuditAnchors anchors, AuditAnchor current, boolean reset) {
        this.anchors = Objects.requireNonNull(anchors, "anchors");
        this.anchored = current == null ? 0 : current.sequence();
        if (sequence == 0) {
            return;
        }
        if (reset) {
            anchors.replace(seal.anchor(trail, sequence, previousHash, clock.instant()));
            anchored = sequence;
        } else {
            advanceAnchor();
        }
    }

    /**
     * Writes a checkpoint line sealing the line before it, e.g. at start and stop.
     *
     * @param reason why now: {@code start}, {@code stop}, {@code every 100 events}
     */
    public synchronized void checkpoint(String reason) {
        if (sequence == 0) {
            return;
        }
        Instant now = clock.instant();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("reason", reason);
        details.put("sealedSequence", Long.toString(sequence));
        details.put("sealedHash", previousHash);
        details.put("anchoredSequence", Long.toString(anchored));
        details.put("key", seal.keyId());
        details.put("seal", HexFormat.of().formatHex(seal.seal(trail, sequence, previousHash, now)));
        append(AuditEvent.success(now, AuditEventType.AUDIT_CHECKPOINT, AuditEvent.SYSTEM, List.of(), details));
        sinceCheckpoint = 0;
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
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the audit trail " + file + ": " + e.getMessage(), e);
        }
        // Only after the line is on disk: the anchor may lag the file, never lead it.
        advanceAnchor();
        return next;
    }

    private void advanceAnchor() {
        if (anchors == null || anchored == sequence) {
            return;
        }
        try {
            AuditAnchor next = seal.anchor(trail, sequence, previousHash, clock.instant());
            if (anchors.advance(anchored, next)) {
                anchored = sequence;
                if (anchorFailing) {
                    LOG.info("The directory anchor of audit trail {} is up to date again (sequence {})", trail, sequence);
                }
                anchorFailing = false;
            } else {
                failing("someone else moved it (another process on the same trail, or the directory was changed); "
                        + "run 'egov-pki audit verify'");
                anchors.latest(trail).ifPresent(stored -> anchored = stored.sequence());
            }
        } catch (RuntimeException e) {
            failing(e.getMessage() + "; it catches up with the next event once the directory answers");
        }
    }

    private void failing(String why) {
        if (!anchorFailing) {
            LOG.error("The directory anchor of audit trail {} was not moved to sequence {}: {}", trail, sequence, why);
        }
        anchorFailing = true;
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
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

    private void readTail(Path path) throws IOException {
        sequence = 0;
        previousHash = GENESIS;
        if (!Files.exists(path)) {
            return;
        }
        List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            return;
        }
        String last = lines.get(lines.size() - 1);
        long lastSequence;
        try {
            lastSequence = json.readTree(last).path("seq").asLong(lines.size());
        } catch (IOException e) {
            // Not ours: the start-up check reports it; the chain goes on from it so nothing is lost.
            lastSequence = lines.size();
        }
        sequence = lastSequence;
        previousHash = sha256(last);
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
