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
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditLog;

/**
 * The audit trail as an append-only JSON-lines file, one event a line, each line carrying a
 * sequence number and the SHA-256 of the previous line, so a deleted, reordered or edited line
 * breaks the chain. Every record is forced to disk before {@link #record} returns.
 *
 * <p>This is the interim store behind the {@link AuditLog} seam; directory checkpoints and
 * signed anchors come with the tamper-evident audit store.
 */
public final class FileAuditLog implements AuditLog, AutoCloseable {

    private static final String GENESIS = "0".repeat(64);

    private final ObjectMapper json = new ObjectMapper();
    private final Path file;
    private final FileChannel channel;
    private long sequence;
    private String previousHash;

    public FileAuditLog(Path file) {
        this.file = file;
        try {
            Files.createDirectories(file.getParent());
            dropTornLine(file);
            Tail tail = readTail(file);
            this.sequence = tail.sequence();
            this.previousHash = tail.hash();
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the audit trail " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized long record(AuditEvent event) {
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
            byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
            sequence = next;
            previousHash = hash;
            return next;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the audit trail " + file + ": " + e.getMessage(), e);
        }
    }

    /** Checks the whole chain; returns the number of events, or throws naming the first broken line. */
    public static long verify(Path file) throws IOException {
        String previous = GENESIS;
        long expected = 1;
        ObjectMapper json = new ObjectMapper();
        for (String text : lines(file)) {
            JsonNode line = json.readTree(text);
            if (line.path("seq").asLong() != expected || !line.path("prev").asText().equals(previous)) {
                throw new IllegalStateException("audit trail " + file + " is broken at sequence " + expected);
            }
            previous = sha256(text);
            expected++;
        }
        return expected - 1;
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Tail(long sequence, String hash) {
    }

    private Tail readTail(Path path) throws IOException {
        if (!Files.exists(path)) {
            return new Tail(0, GENESIS);
        }
        List<String> lines = lines(path);
        if (lines.isEmpty()) {
            return new Tail(0, GENESIS);
        }
        String last = lines.get(lines.size() - 1);
        return new Tail(json.readTree(last).path("seq").asLong(), sha256(last));
    }

    private static List<String> lines(Path path) throws IOException {
        return Files.readAllLines(path, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
    }

    /**
     * A crash mid-write can leave a last line without its newline: that record never completed
     * (record() had not returned), so it is cut off before appending resumes.
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
            try (FileChannel truncate = FileChannel.open(path, StandardOpenOption.WRITE)) {
                truncate.truncate(end);
                truncate.force(true);
            }
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
