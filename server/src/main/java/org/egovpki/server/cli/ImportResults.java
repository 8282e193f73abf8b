package org.egovpki.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.egovpki.server.StartupException;

/**
 * The results file of {@code egov-pki request import}: JSON lines, one entry per event of an
 * import line, appended and flushed to disk <em>before</em> the next step, so that whatever stops
 * the import (Ctrl-C, a crash, a server error) the file tells what happened to every line. For each
 * line the last entry counts:
 * <ul>
 *   <li>{@code UNSENT} — not sent; {@code --resume} sends it;</li>
 *   <li>{@code SENT} — sent, no answer came: the server may or may not have stored it. {@code --resume}
 *       never sends it again; look it up ({@code GET /api/v1/requests}) and, if it is not there,
 *       import it from a new file;</li>
 *   <li>{@code CREATED} — the server stored it: {@code request} (its id) and {@code state};</li>
 *   <li>{@code REFUSED} — the server refused it and stored nothing: {@code code}, {@code field},
 *       {@code message}. {@code --resume} sends it again (after you fixed the line).</li>
 * </ul>
 * Every entry carries the line's {@code fingerprint} ({@link ApplicationFile#fingerprint}); no
 * entry holds registration data. When an import ends the file is rewritten with one entry per line,
 * in line order.
 */
final class ImportResults implements AutoCloseable {

    enum Status { UNSENT, SENT, CREATED, REFUSED }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final FileOutputStream out;
    private final Map<Integer, ObjectNode> last;

    private ImportResults(Path file, FileOutputStream out, Map<Integer, ObjectNode> last) {
        this.file = file;
        this.out = out;
        this.last = last;
    }

    /** A new results file; refuses to overwrite one (it may be the only record of a half-done import). */
    static ImportResults create(Path file) {
        try {
            Files.createFile(file);
            return new ImportResults(file, new FileOutputStream(file.toFile(), true), new TreeMap<>());
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new StartupException("results file " + file + " exists: it may record an earlier import of these "
                    + "lines. Pass --resume " + file + " to send only the lines it does not show as sent, or move it "
                    + "away to start over");
        } catch (IOException e) {
            throw new StartupException("cannot create results file " + file + ": " + e.getMessage());
        }
    }

    /** An existing results file, to go on from (its last entry per line), appended to from now on. */
    static ImportResults resume(Path file) {
        Map<Integer, ObjectNode> last = new TreeMap<>();
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                JsonNode entry;
                try {
                    entry = JSON.readTree(lines.get(i));
                } catch (JsonProcessingException e) {
                    if (i == lines.size() - 1) {
                        continue; // the last entry was cut short by a crash: it was never acted on
                    }
                    throw new StartupException("results file " + file + ", line " + (i + 1) + " is not JSON: "
                            + e.getOriginalMessage());
                }
                if (!(entry instanceof ObjectNode o) || !entry.path("line").canConvertToInt()
                        || !entry.path("status").isTextual()) {
                    throw new StartupException("results file " + file + ", line " + (i + 1)
                            + " is not an entry of egov-pki request import");
                }
                status(o, file, i + 1);
                last.put(o.get("line").asInt(), o);
            }
            return new ImportResults(file, new FileOutputStream(file.toFile(), true), last);
        } catch (NoSuchFileException e) {
            throw new StartupException("results file " + file + " (--resume) does not exist");
        } catch (IOException e) {
            throw new StartupException("cannot read results file " + file + ": " + e.getMessage());
        }
    }

    private static Status status(JsonNode entry, Path file, int line) {
        try {
            return Status.valueOf(entry.path("status").asText());
        } catch (IllegalArgumentException e) {
            throw new StartupException("results file " + file + ", line " + line + ": unknown status "
                    + entry.path("status").asText());
        }
    }

    Path file() {
        return file;
    }

    /** The status the file records for import line {@code line}, or {@code null} if none. */
    Status status(int line) {
        ObjectNode entry = last.get(line);
        return entry == null ? null : Status.valueOf(entry.get("status").asText());
    }

    String fingerprint(int line) {
        ObjectNode entry = last.get(line);
        return entry == null ? null : entry.path("fingerprint").asText(null);
    }

    ObjectNode entry(int line) {
        return last.get(line);
    }

    Collection<ObjectNode> entries() {
        return last.values();
    }

    void record(ApplicationFile.Line line, Status status) {
        record(line, status, JSON.createObjectNode());
    }

    void created(ApplicationFile.Line line, String requestId, String state) {
        record(line, Status.CREATED, JSON.createObjectNode().put("request", requestId).put("state", state));
    }

    void refused(ApplicationFile.Line line, String code, String field, String message) {
        ObjectNode details = JSON.createObjectNode().put("code", code);
        if (field != null) {
            details.put("field", field);
        }
        record(line, Status.REFUSED, details.put("message", message));
    }

    private void record(ApplicationFile.Line line, Status status, ObjectNode details) {
        ObjectNode entry = JSON.createObjectNode().put("line", line.number()).put("status", status.name());
        entry.setAll(details);
        entry.put("fingerprint", line.fingerprint());
        last.put(line.number(), entry);
        try {
            out.write(JSON.writeValueAsBytes(entry));
            out.write('\n');
        } catch (IOException e) {
            throw new IllegalStateException("cannot write results file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Makes what was recorded so far durable: called before each batch is sent and after its answer. */
    void flush() {
        try {
            out.flush();
            out.getFD().sync();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write results file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Rewrites the file with only the last entry of each line, in line order (atomically). */
    void compact() {
        flush();
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        StringBuilder text = new StringBuilder();
        try {
            for (ObjectNode entry : last.values()) {
                text.append(JSON.writeValueAsString(entry)).append('\n');
            }
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot rewrite results file " + file + " (its entries are all there, "
                    + "last one per line counts): " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new IllegalStateException("cannot close results file " + file + ": " + e.getMessage(), e);
        }
    }
}
