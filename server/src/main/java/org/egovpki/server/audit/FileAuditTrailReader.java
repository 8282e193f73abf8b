package org.egovpki.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEntry;
import org.egovpki.core.audit.AuditExportSigner;
import org.egovpki.core.audit.AuditPage;
import org.egovpki.core.audit.AuditQuery;
import org.egovpki.core.audit.AuditTrailReader;

/**
 * Reads a trail written by {@link FileAuditLog}: the closed files and the file being written, as
 * one ({@link AuditFiles}), streamed line by line, never the whole trail in memory (a page holds
 * at most {@code limit + 1} entries). Entries are answered as written.
 *
 * <p><b>Paging</b>: the {@code next} cursor carries the last sequence answered, the order and a
 * fingerprint of the filter. Sequences never change and run on across rotations, so a cursor stays
 * valid while the trail grows and after its file is rotated: newest-first pages go on below it
 * (events written meanwhile are not mixed in; a new first page shows them), oldest-first pages
 * go on above it (and so reach the events written meanwhile). Closed files are skipped by the
 * sequences in their names; their names carry no times, so a time filter is applied line by line.
 *
 * <p>A line that is not a readable record (the verifier reports those) is skipped. A rotation
 * while a page is read renames the file being written; the file list is then read again, once.
 */
public final class FileAuditTrailReader implements AuditTrailReader {

    private static final String CURSOR_VERSION = "a1";

    private final ObjectMapper json = new ObjectMapper();
    private final Path file;
    private final String trail;
    private final AuditExportSigner signer;
    private final Clock clock;

    /**
     * @param file   the trail's file being written ({@code <data>/audit/audit.jsonl})
     * @param trail  its name, {@link FileAuditLog#SERVER_TRAIL}
     * @param signer signs export manifests
     */
    public FileAuditTrailReader(Path file, String trail, AuditExportSigner signer, Clock clock) {
        this.file = Objects.requireNonNull(file, "file");
        this.trail = Objects.requireNonNull(trail, "trail");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** One file of the trail and the sequences it may hold. */
    private record TrailFile(Path path, long first, long last) {
    }

    @Override
    public void check(AuditQuery query) {
        decode(query);
    }

    @Override
    public AuditPage read(AuditQuery query) {
        long from = decode(query);
        try {
            List<TrailFile> files = files();
            AuditPage page = read(query, files, from);
            List<TrailFile> now = files();
            return now.equals(files) ? page : read(query, now, from);
        } catch (IOException e) {
            throw DomainException.unavailable("cannot read the audit trail " + file + ": " + e.getMessage(), e);
        }
    }

    private List<TrailFile> files() throws IOException {
        List<TrailFile> files = new ArrayList<>();
        long last = 0;
        for (AuditFiles.Closed closed : AuditFiles.closed(file)) {
            files.add(new TrailFile(closed.file(), closed.first(), closed.last()));
            last = Math.max(last, closed.last());
        }
        files.add(new TrailFile(file, last + 1, Long.MAX_VALUE));
        return files;
    }

    private AuditPage read(AuditQuery query, List<TrailFile> files, long cursor) throws IOException {
        int wanted = query.limit() + 1;
        List<AuditEntry> found = new ArrayList<>();
        if (query.order() == AuditQuery.Order.OLDEST_FIRST) {
            for (TrailFile f : files) {
                if (f.last() <= cursor) {
                    continue;
                }
                readFile(f.path(), entry -> {
                    if (entry.sequence() > cursor && matches(query, entry)) {
                        found.add(entry);
                    }
                    return found.size() < wanted;
                });
                if (found.size() >= wanted) {
                    break;
                }
            }
        } else {
            long below = cursor == 0 ? Long.MAX_VALUE : cursor;
            List<TrailFile> newestFirst = new ArrayList<>(files);
            Collections.reverse(newestFirst);
            for (TrailFile f : newestFirst) {
                if (f.first() >= below) {
                    continue;
                }
                // The newest matches of this file, at most as many as are still wanted.
                int room = wanted - found.size();
                ArrayDeque<AuditEntry> newest = new ArrayDeque<>(room);
                readFile(f.path(), entry -> {
                    if (entry.sequence() >= below) {
                        return false;
                    }
                    if (matches(query, entry)) {
                        if (newest.size() == room) {
                            newest.removeFirst();
                        }
                        newest.addLast(entry);
                    }
                    return true;
                });
                for (Iterator<AuditEntry> it = newest.descendingIterator(); it.hasNext(); ) {
                    found.add(it.next());
                }
                if (found.size() >= wanted) {
                    break;
                }
            }
        }
        if (found.size() <= query.limit()) {
            return new AuditPage(found, null);
        }
        List<AuditEntry> page = found.subList(0, query.limit());
        return new AuditPage(page, encode(query, page.get(page.size() - 1).sequence()));
    }

    private static boolean matches(AuditQuery query, AuditEntry entry) {
        return query.matches(entry.time(), entry.type(), entry.actor(), entry.subjects());
    }

    @FunctionalInterface
    private interface EntryVisitor {
        boolean entry(AuditEntry entry) throws IOException;
    }

    /** Each readable record of {@code path}; a file renamed away meanwhile reads as empty (the caller re-lists). */
    private void readFile(Path path, EntryVisitor visitor) throws IOException {
        try {
            AuditLines.read(path, text -> {
                AuditEntry entry = entry(text);
                return entry == null || visitor.entry(entry);
            });
        } catch (NoSuchFileException e) {
            // rotated (or not yet created): the second listing finds its lines
        }
    }

    /** The record on a line, or {@code null} if the line is not one. */
    AuditEntry entry(String text) {
        try {
            JsonNode node = json.readTree(text);
            if (node == null || !node.isObject() || !node.path("seq").isIntegralNumber()) {
                return null;
            }
            List<String> subjects = new ArrayList<>();
            node.path("subjects").forEach(s -> subjects.add(s.asText()));
            Map<String, String> details = new TreeMap<>();
            node.path("details").fields().forEachRemaining(e -> details.put(e.getKey(), e.getValue().asText()));
            return new AuditEntry(node.path("seq").asLong(), Instant.parse(node.path("time").asText()),
                    node.path("type").asText(), node.path("actor").asText(), subjects, details,
                    node.path("outcome").asText());
        } catch (IOException | DateTimeParseException | NullPointerException e) {
            return null;
        }
    }

    /** The cursor for a page that ended at {@code sequence}. */
    private String encode(AuditQuery query, long sequence) {
        String text = CURSOR_VERSION + ":" + (query.order() == AuditQuery.Order.OLDEST_FIRST ? "o" : "n") + ":"
                + sequence + ":" + fingerprint(query);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** The sequence a query's cursor ends at, 0 without one. */
    private long decode(AuditQuery query) {
        if (query.cursor() == null) {
            return 0;
        }
        String[] parts;
        try {
            parts = new String(Base64.getUrlDecoder().decode(query.cursor()), StandardCharsets.US_ASCII).split(":", -1);
        } catch (IllegalArgumentException e) {
            parts = new String[0];
        }
        long sequence = -1;
        if (parts.length == 4 && parts[0].equals(CURSOR_VERSION) && parts[2].matches("[0-9]{1,18}")) {
            sequence = Long.parseLong(parts[2]);
        }
        if (sequence < 1) {
            throw DomainException.badRequest("cursor", "cursor is not a next token of this API; pass the next value "
                    + "of the previous page unchanged, or leave cursor out for the first page");
        }
        String order = query.order() == AuditQuery.Order.OLDEST_FIRST ? "o" : "n";
        if (!parts[1].equals(order)) {
            throw DomainException.badRequest("cursor", "cursor belongs to a read in the other order; keep the order "
                    + "of the first page");
        }
        if (!parts[3].equals(fingerprint(query))) {
            throw DomainException.badRequest("cursor", "cursor belongs to a read with other filters; repeat the "
                    + "from, to, type, actor and subject of the first page");
        }
        return sequence;
    }

    private static String fingerprint(AuditQuery q) {
        String text = q.from() + "\n" + q.to() + "\n" + q.type() + "\n" + q.actor() + "\n" + q.subject();
        return HexFormat.of().formatHex(sha256(text.getBytes(StandardCharsets.UTF_8)), 0, 8);
    }

    @Override
    public byte[] export(Instant from, Instant to, String exportedBy) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        try {
            List<TrailFile> files = files();
            Segment segment = segment(from, to, files);
            List<TrailFile> now = files();
            if (!now.equals(files)) {
                segment = segment(from, to, now);
            }
            if (segment.count == 0) {
                throw DomainException.notFound("the audit trail holds no event from " + from + " to " + to);
            }
            return AuditExportBundle.build(new AuditExportBundle.Contents(trail, from, to, clock.instant(), exportedBy,
                    signer.ca(), segment.first, segment.last, segment.count, segment.counts, segment.previousHash,
                    segment.lastHash, segment.sources, segment.lines.toByteArray()), signer);
        } catch (IOException e) {
            throw DomainException.unavailable("cannot read the audit trail " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The contiguous run of lines from the first to the last event in the period, with the hash of
     * the line before it. Events between them are included whatever their time (a clock set back
     * puts them out of order): the segment is a piece of the chain, not a selection.
     */
    private static final class Segment {
        final ByteArrayOutputStream lines = new ByteArrayOutputStream();
        final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        final Map<String, Long> counts = new TreeMap<>();
        final Map<String, Long> pendingCounts = new TreeMap<>();
        final Map<String, Long> sources = new LinkedHashMap<>();
        final Map<String, Long> pendingSources = new LinkedHashMap<>();
        String previousHash = FileAuditLog.GENESIS;
        String lastHash;
        String running = FileAuditLog.GENESIS;
        long first;
        long last;
        long count;
        long pendingCount;
        long pendingLast;
        String pendingHash;
    }

    private Segment segment(Instant from, Instant to, List<TrailFile> files) throws IOException {
        Segment s = new Segment();
        for (TrailFile f : files) {
            String name = f.path().getFileName().toString();
            readFileLines(f.path(), text -> {
                String hash = FileAuditLog.sha256(text);
                AuditEntry entry = entry(text);
                boolean inPeriod = entry != null && !entry.time().isBefore(from) && entry.time().isBefore(to);
                if (s.first == 0 && !inPeriod) {
                    s.running = hash;
                    return true;
                }
                if (s.first == 0) {
                    s.first = entry.sequence();
                    s.previousHash = s.running;
                }
                byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
                s.pending.write(bytes);
                s.pendingCount++;
                s.pendingSources.merge(name, 1L, Long::sum);
                if (entry != null) {
                    s.pendingCounts.merge(entry.type(), 1L, Long::sum);
                    s.pendingLast = entry.sequence();
                }
                s.pendingHash = hash;
                if (inPeriod) {
                    s.pending.writeTo(s.lines);
                    s.pending.reset();
                    s.count += s.pendingCount;
                    s.pendingCount = 0;
                    s.pendingCounts.forEach((k, v) -> s.counts.merge(k, v, Long::sum));
                    s.pendingCounts.clear();
                    s.pendingSources.forEach((k, v) -> s.sources.merge(k, v, Long::sum));
                    s.pendingSources.clear();
                    s.last = s.pendingLast;
                    s.lastHash = s.pendingHash;
                }
                return true;
            });
        }
        return s;
    }

    private static void readFileLines(Path path, AuditLines.LineVisitor visitor) throws IOException {
        try {
            AuditLines.read(path, visitor);
        } catch (NoSuchFileException e) {
            // rotated meanwhile: the second listing reads its lines
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
