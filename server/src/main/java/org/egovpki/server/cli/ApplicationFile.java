package org.egovpki.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.egovpki.server.StartupException;

/**
 * A file of applications for {@code egov-pki request import}: CSV with a header line naming the
 * fields, or JSON lines (one application object per line, as an item of
 * {@code POST /api/v1/requests/batch}). Each line's shape is checked here, before anything is
 * sent: known fields only, the right JSON types, a CSR and a profile. The server still decides
 * everything else (docs/enrollment.md, "Bulk import").
 *
 * <p>CSV columns are the application's fields, registration fields by their own names
 * ({@code realName}, {@code idNumber}, ...); {@code hostNames} and {@code ipAddresses} hold
 * {@code ;}-separated lists; {@code publishOptOut} and {@code agreementAccepted} are
 * {@code true}/{@code false}; an empty cell leaves the field out. Cells follow RFC 4180 (quotes
 * around a cell holding a comma, a quote or a line break, e.g. a PEM CSR). In either format
 * {@code csrFile} names a PEM or DER file, relative to the import file, sent as {@code csr}.
 */
final class ApplicationFile {

    enum Format {
        CSV, JSONL;

        static Format of(Path file) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".csv")) {
                return CSV;
            }
            if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
                return JSONL;
            }
            throw new StartupException(file + " ends neither in .csv nor in .jsonl: say which it is with --format "
                    + "csv or --format jsonl");
        }
    }

    /** One application, from the import file's line {@code number} (where a CSV record starts). */
    record Line(int number, ObjectNode application, String fingerprint) {
    }

    /** What is wrong with one line; {@code field} is {@code null} when it is the line as a whole. */
    record Problem(int line, String field, String message) {
        @Override
        public String toString() {
            return "line " + line + (field == null ? "" : ", field " + field) + ": " + message;
        }
    }

    /** The lines read, and the problems found; nothing may be sent unless there are none. */
    record Parsed(List<Line> lines, List<Problem> problems) {
    }

    static final Set<String> TEXT_FIELDS = Set.of("csr", "profile", "subscriberId", "businessType", "region",
            "challengePhrase");
    static final Set<String> BOOLEAN_FIELDS = Set.of("publishOptOut", "agreementAccepted");
    static final Set<String> REGISTRATION_TEXT = Set.of("realName", "idType", "idNumber", "phone", "email",
            "organization", "legalName", "uscc", "organizationCode", "agentName", "agentPhone", "agentEmail",
            "agentIdNumber", "owner");
    static final Set<String> REGISTRATION_LISTS = Set.of("hostNames", "ipAddresses");
    static final String CSR_FILE = "csrFile";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ApplicationFile() {
    }

    static Parsed read(Path file, Format format) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new StartupException("import file " + file + " does not exist");
        } catch (IOException e) {
            throw new StartupException("cannot read import file " + file + " (UTF-8 expected): " + e.getMessage());
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        Path base = file.toAbsolutePath().getParent();
        List<Line> lines = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        List<Raw> raw = format == Format.CSV ? csv(text, problems) : jsonl(text, problems);
        for (Raw r : raw) {
            int before = problems.size();
            ObjectNode application = check(r.number(), r.node(), base, problems);
            if (problems.size() == before) {
                lines.add(new Line(r.number(), application, fingerprint(application)));
            }
        }
        if (lines.isEmpty() && problems.isEmpty()) {
            problems.add(new Problem(1, null, "the file holds no application"));
        }
        return new Parsed(lines, problems);
    }

    private record Raw(int number, JsonNode node) {
    }

    private static List<Raw> jsonl(String text, List<Problem> problems) {
        List<Raw> raw = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            try {
                raw.add(new Raw(i + 1, JSON.readTree(lines[i])));
            } catch (JsonProcessingException e) {
                problems.add(new Problem(i + 1, null, "not a JSON object: " + e.getOriginalMessage()));
            }
        }
        return raw;
    }

    private static List<Raw> csv(String text, List<Problem> problems) {
        List<Raw> raw = new ArrayList<>();
        List<Record> records = Record.parse(text, problems);
        if (records.isEmpty()) {
            return raw;
        }
        Record header = records.get(0);
        List<String> columns = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String cell : header.cells()) {
            String column = cell.strip();
            if (!known(column)) {
                problems.add(new Problem(header.line(), column, "unknown column '" + column + "'; allowed: "
                        + allColumns()));
            } else if (!seen.add(column)) {
                problems.add(new Problem(header.line(), column, "column '" + column + "' appears twice"));
            }
            columns.add(column);
        }
        if (!problems.isEmpty()) {
            return raw;
        }
        for (Record record : records.subList(1, records.size())) {
            if (record.cells().size() == 1 && record.cells().get(0).isBlank()) {
                continue;
            }
            if (record.cells().size() != columns.size()) {
                problems.add(new Problem(record.line(), null, record.cells().size() + " cells where the header names "
                        + columns.size() + " columns"));
                continue;
            }
            ObjectNode application = JSON.createObjectNode();
            ObjectNode registration = JSON.createObjectNode();
            for (int c = 0; c < columns.size(); c++) {
                String column = columns.get(c);
                String value = record.cells().get(c).strip();
                if (value.isEmpty()) {
                    continue;
                }
                if (BOOLEAN_FIELDS.contains(column)) {
                    if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                        problems.add(new Problem(record.line(), column, column + " must be true or false"));
                    }
                    application.put(column, value.equalsIgnoreCase("true"));
                } else if (REGISTRATION_LISTS.contains(column)) {
                    ArrayNode list = registration.putArray(column);
                    for (String item : value.split(";")) {
                        if (!item.isBlank()) {
                            list.add(item.strip());
                        }
                    }
                } else if (REGISTRATION_TEXT.contains(column)) {
                    registration.put(column, value);
                } else {
                    application.put(column, value);
                }
            }
            if (!registration.isEmpty()) {
                application.set("registration", registration);
            }
            raw.add(new Raw(record.line(), application));
        }
        return raw;
    }

    private static boolean known(String column) {
        return TEXT_FIELDS.contains(column) || BOOLEAN_FIELDS.contains(column) || REGISTRATION_TEXT.contains(column)
                || REGISTRATION_LISTS.contains(column) || column.equals(CSR_FILE);
    }

    private static List<String> allColumns() {
        Set<String> all = new java.util.TreeSet<>(TEXT_FIELDS);
        all.addAll(BOOLEAN_FIELDS);
        all.addAll(REGISTRATION_TEXT);
        all.addAll(REGISTRATION_LISTS);
        all.add(CSR_FILE);
        return List.copyOf(all);
    }

    /** Checks one application's shape; returns it with {@code csrFile} replaced by {@code csr}. */
    private static ObjectNode check(int line, JsonNode node, Path base, List<Problem> problems) {
        if (!(node instanceof ObjectNode application)) {
            problems.add(new Problem(line, null, "an application must be a JSON object"));
            return null;
        }
        application = application.deepCopy();
        for (Iterator<String> names = application.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            JsonNode value = application.get(name);
            if (TEXT_FIELDS.contains(name) || name.equals(CSR_FILE)) {
                requireType(line, name, value, value.isTextual() || value.isNull(), "a string", problems);
            } else if (BOOLEAN_FIELDS.contains(name)) {
                requireType(line, name, value, value.isBoolean() || value.isNull(), "true or false", problems);
            } else if (name.equals("registration")) {
                checkRegistration(line, value, problems);
            } else {
                problems.add(new Problem(line, name, "unknown field '" + name + "'"));
            }
        }
        if (application.hasNonNull(CSR_FILE) && application.get(CSR_FILE).isTextual()) {
            if (application.hasNonNull("csr")) {
                problems.add(new Problem(line, CSR_FILE, "give csr or csrFile, not both"));
            } else {
                Path csr = base.resolve(application.get(CSR_FILE).asText().strip());
                try {
                    application.put("csr", ApiClient.pemOrBase64(csr));
                } catch (StartupException e) {
                    problems.add(new Problem(line, CSR_FILE, e.getMessage()));
                }
            }
            application.remove(CSR_FILE);
        }
        for (String required : List.of("csr", "profile")) {
            JsonNode value = application.get(required);
            if (value == null || value.isNull() || (value.isTextual() && value.asText().isBlank())) {
                problems.add(new Problem(line, required, required + " is missing"
                        + (required.equals("csr") ? " (give csr or csrFile)" : "")));
            }
        }
        return application;
    }

    private static void checkRegistration(int line, JsonNode value, List<Problem> problems) {
        if (value.isNull()) {
            return;
        }
        if (!value.isObject()) {
            problems.add(new Problem(line, "registration", "registration must be a JSON object"));
            return;
        }
        for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            JsonNode item = value.get(name);
            String field = "registration." + name;
            if (REGISTRATION_TEXT.contains(name)) {
                requireType(line, field, item, item.isTextual() || item.isNull(), "a string", problems);
            } else if (REGISTRATION_LISTS.contains(name)) {
                boolean strings = item.isNull() || (item.isArray() && allText(item));
                requireType(line, field, item, strings, "a list of strings", problems);
            } else {
                problems.add(new Problem(line, field, "unknown field '" + field + "'"));
            }
        }
    }

    private static boolean allText(JsonNode array) {
        for (JsonNode item : array) {
            if (!item.isTextual()) {
                return false;
            }
        }
        return true;
    }

    /** Names the expected type and the JSON type found, never the value (it may be an ID number). */
    private static void requireType(int line, String field, JsonNode value, boolean ok, String expected,
                                    List<Problem> problems) {
        if (!ok) {
            problems.add(new Problem(line, field, field + " must be " + expected + ", not "
                    + value.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
    }

    /**
     * The SHA-256 of the application as sent. It covers the CSR (a public key and its signature),
     * so it cannot be guessed back from registration data; it lets {@code --resume} notice a line
     * that changed since it was sent.
     */
    static String fingerprint(ObjectNode application) {
        try {
            byte[] bytes = JSON.writeValueAsBytes(application);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot fingerprint an application", e);
        }
    }

    /** One CSV record (RFC 4180) and the line it starts on. */
    private record Record(int line, List<String> cells) {

        static List<Record> parse(String text, List<Problem> problems) {
            List<Record> records = new ArrayList<>();
            List<String> cells = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            int line = 1;
            int start = 1;
            boolean quoted = false;
            boolean any = false;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                any = true;
                if (quoted) {
                    if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        if (c == '\n') {
                            line++;
                        }
                        cell.append(c);
                    }
                } else if (c == '"' && cell.toString().isBlank()) {
                    cell.setLength(0);
                    quoted = true;
                } else if (c == ',') {
                    cells.add(cell.toString());
                    cell.setLength(0);
                } else if (c == '\n' || c == '\r') {
                    if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                        i++;
                    }
                    cells.add(cell.toString());
                    records.add(new Record(start, List.copyOf(cells)));
                    cells.clear();
                    cell.setLength(0);
                    any = false;
                    line++;
                    start = line;
                } else {
                    cell.append(c);
                }
            }
            if (quoted) {
                problems.add(new Problem(start, null, "a quoted cell is not closed before the end of the file"));
                return List.of();
            }
            if (any) {
                cells.add(cell.toString());
                records.add(new Record(start, List.copyOf(cells)));
            }
            return records;
        }
    }
}
