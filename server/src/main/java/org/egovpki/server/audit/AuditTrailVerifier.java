package org.egovpki.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.egovpki.core.audit.AuditAnchor;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.server.audit.AuditVerification.Kind;
import org.egovpki.server.audit.AuditVerification.Problem;

/**
 * Checks an audit trail written by {@link FileAuditLog} — the file being written and the files
 * rotation closed before it ({@link AuditFiles}), read as one: the chain line by line and across
 * files (a missing, altered or replaced file breaks it), the seal of every checkpoint, and the
 * trail against the directory anchor. It only reads; it reports every
 * problem it finds (with line and sequence) rather than stopping at the first.
 */
public final class AuditTrailVerifier {

    private final ObjectMapper json = new ObjectMapper();
    private final AuditSeal seal;

    public AuditTrailVerifier(AuditSeal seal) {
        this.seal = Objects.requireNonNull(seal, "seal");
    }

    /** Checks the file only (chain and checkpoint seals), not against a directory anchor. */
    public AuditVerification verifyFile(Path file, String trail) throws IOException {
        return verify(file, trail, false, null);
    }

    /**
     * Checks the file and compares it with the directory anchor.
     *
     * @param anchor the anchor stored in the directory, or {@code null} if there is none
     */
    public AuditVerification verify(Path file, String trail, AuditAnchor anchor) throws IOException {
        return verify(file, trail, true, anchor);
    }

    private AuditVerification verify(Path file, String trail, boolean anchorChecked, AuditAnchor anchor)
            throws IOException {
        List<Path> files = AuditFiles.all(file);
        AuditVerification result = verify(file, files, trail, anchorChecked, anchor);
        // A running server may have rotated while the files were read (the file being written renamed
        // after it was listed): then read the set again, once; rotations are far apart.
        List<Path> now = AuditFiles.all(file);
        return now.equals(files) ? result : verify(file, now, trail, anchorChecked, anchor);
    }

    private AuditVerification verify(Path file, List<Path> files, String trail, boolean anchorChecked,
                                     AuditAnchor anchor) throws IOException {
        List<Problem> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<String> findings = new ArrayList<>();
        boolean rotated = files.size() > 1;
        if (rotated) {
            notes.add("the trail is in " + files.size() + " files, checked as one in this order: "
                    + files.stream().map(f -> f.getFileName().toString()).reduce((a, b) -> a + ", " + b).orElse(""));
        }
        String previousHash = FileAuditLog.GENESIS;
        long expected = 1;
        long last = 0;
        long events = 0;
        long line = 0;
        long maxAnchored = 0;
        long maxAnchoredAt = 0;
        String anchorLineHash = null;
        long anchorLine = 0;
        long lastFindingLine = 0;
        for (Path current : files) {
            boolean active = current.equals(file);
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(current);
            } catch (NoSuchFileException e) {
                bytes = new byte[0];
                if (active && !rotated) {
                    notes.add("the file does not exist (an empty trail)");
                }
            }
            String name = current.getFileName().toString();
            long fileLine = 0;
            int start = 0;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] != '\n') {
                    continue;
                }
                String text = new String(bytes, start, i - start, StandardCharsets.UTF_8);
                start = i + 1;
                line++;
                fileLine++;
                String where = rotated ? " (" + name + ", line " + fileLine + ")" : "";
                String hash = FileAuditLog.sha256(text);
                JsonNode record = parse(text);
                if (record == null) {
                    problems.add(new Problem(Kind.UNREADABLE_LINE, line, 0, "not an audit record (edited or inserted); "
                            + "the chain cannot be followed across it" + where));
                    previousHash = hash;
                    expected = -1;
                    continue;
                }
                events++;
                long sequence = record.path("seq").asLong();
                if (expected > 0 && sequence != expected) {
                    problems.add(new Problem(Kind.BROKEN_CHAIN, line, sequence, (sequence > expected
                            ? "expected sequence " + expected + ": " + (sequence - expected) + " event(s) before this line "
                                    + "were removed" + (rotated && fileLine == 1 ? " (a missing file of the trail?)" : "")
                            : "expected sequence " + expected + ": the sequence goes back (lines inserted or reordered)")
                            + where));
                } else if (!record.path("prev").asText().equals(previousHash)) {
                    problems.add(new Problem(Kind.BROKEN_CHAIN, line, sequence, (line == 1
                            ? "the first line does not start the chain (lines before it were removed)"
                            : fileLine == 1 ? "does not carry the hash of the last line of the file before it: that "
                                    + "line or file was changed or replaced"
                            : "does not carry the hash of line " + (line - 1) + ": that line was changed, or lines "
                                    + "between them were removed or inserted") + where));
                }
                String type = record.path("type").asText();
                if (AuditEventType.AUDIT_CHECKPOINT.name().equals(type)) {
                    Problem bad = checkpoint(record, trail, line, sequence, previousHash);
                    if (bad != null) {
                        problems.add(rotated ? new Problem(bad.kind(), bad.line(), bad.sequence(), bad.message() + where)
                                : bad);
                    }
                    long anchoredThen = record.path("details").path("anchoredSequence").asLong(0);
                    if (anchoredThen > maxAnchored) {
                        maxAnchored = anchoredThen;
                        maxAnchoredAt = sequence;
                    }
                } else if (AuditEventType.AUDIT_TRAIL_FINDING.name().equals(type)) {
                    findings.add("sequence " + sequence + " (" + record.path("time").asText() + "): "
                            + record.path("details").path("finding").asText());
                    lastFindingLine = line;
                }
                if (anchor != null && sequence == anchor.sequence() && anchorLineHash == null) {
                    anchorLineHash = hash;
                    anchorLine = line;
                }
                previousHash = hash;
                expected = sequence + 1;
                last = sequence;
            }
            if (start < bytes.length) {
                if (active) {
                    notes.add("the last " + (bytes.length - start) + " bytes are an incomplete record (the process "
                            + "died while writing it); the server cuts it off when it next opens the trail");
                } else {
                    problems.add(new Problem(Kind.UNREADABLE_LINE, line + 1, 0, "the closed file " + name + " ends in "
                            + "an incomplete line: a closed file is complete, so it was cut or appended to"));
                }
            }
        }
        if (anchorChecked) {
            checkAnchor(trail, anchor, last, anchorLine, anchorLineHash, maxAnchored, maxAnchoredAt, problems, notes);
        }
        return new AuditVerification(trail, file, events, last, anchor, anchorChecked, problems, notes, findings,
                lastFindingLine);
    }

    private Problem checkpoint(JsonNode record, String trail, long line, long sequence, String previousHash) {
        JsonNode details = record.path("details");
        long sealedSequence = details.path("sealedSequence").asLong(-1);
        String sealedHash = details.path("sealedHash").asText();
        if (sealedSequence != sequence - 1 || !sealedHash.equals(previousHash)) {
            return new Problem(Kind.BAD_CHECKPOINT, line, sequence, "the checkpoint does not seal the line before it: "
                    + "that line (or an earlier one) was rewritten");
        }
        if (!seal.keyId().equals(details.path("key").asText())) {
            return new Problem(Kind.BAD_CHECKPOINT, line, sequence, "sealed with key " + details.path("key").asText()
                    + ", not with this data directory's audit seal key " + seal.keyId()
                    + " (forged, or secrets/" + AuditSeal.SECRET_FILE + " was replaced)");
        }
        try {
            Instant time = Instant.parse(record.path("time").asText());
            byte[] sealBytes = HexFormat.of().parseHex(details.path("seal").asText());
            if (seal.verifies(trail, sealedSequence, sealedHash, time, sealBytes)) {
                return null;
            }
        } catch (DateTimeParseException | IllegalArgumentException e) {
            // falls through: an unreadable seal is a wrong one
        }
        return new Problem(Kind.BAD_CHECKPOINT, line, sequence, "the checkpoint's seal does not verify: the lines up "
                + "to it were rewritten and the checkpoint forged");
    }

    private void checkAnchor(String trail, AuditAnchor anchor, long last, long anchorLine, String anchorLineHash,
                             long maxAnchored, long maxAnchoredAt, List<Problem> problems, List<String> notes) {
        if (anchor == null) {
            if (maxAnchored > 0) {
                problems.add(new Problem(Kind.ANCHOR_MISSING, 0, maxAnchored, "the directory holds no anchor for trail "
                        + trail + ", but the checkpoint at sequence " + maxAnchoredAt + " records one at sequence "
                        + maxAnchored + ": the anchor entry was deleted"));
            } else {
                notes.add("the directory holds no anchor for this trail yet (a new trail, or the first start of a "
                        + "version with anchors); the next start or CLI command anchors it as it is now");
            }
            return;
        }
        if (!anchor.trail().equals(trail) || !seal.verifies(anchor)) {
            problems.add(new Problem(Kind.ANCHOR_FORGED, 0, anchor.sequence(), "the directory anchor's seal does not "
                    + "verify with this data directory's audit seal key: it was written by someone without the key"));
        }
        if (anchor.sequence() > last) {
            problems.add(new Problem(Kind.TRUNCATED, 0, anchor.sequence(), "the directory anchor sealed sequence "
                    + anchor.sequence() + " at " + anchor.time() + ", but the file ends at sequence " + last + ": "
                    + (anchor.sequence() - last) + " event(s) at its end were removed"));
        } else if (anchorLineHash == null) {
            problems.add(new Problem(Kind.REWRITTEN, 0, anchor.sequence(), "no line carries sequence "
                    + anchor.sequence() + ", which the directory anchor sealed at " + anchor.time()));
        } else if (!anchorLineHash.equals(anchor.hash())) {
            problems.add(new Problem(Kind.REWRITTEN, anchorLine, anchor.sequence(), "this is not the event the "
                    + "directory anchor sealed at " + anchor.time() + ": the trail was rewritten from here or earlier"));
        } else if (anchor.sequence() < last) {
            notes.add("the directory anchor lags the file by " + (last - anchor.sequence()) + " event(s): normal after "
                    + "a crash, while the directory could not be written, or while a running server's anchor writer "
                    + "catches up; those events are covered by the chain only");
        }
        if (anchor.sequence() < maxAnchored) {
            problems.add(new Problem(Kind.ANCHOR_STALE, 0, anchor.sequence(), "the directory anchor seals sequence "
                    + anchor.sequence() + ", but the checkpoint at sequence " + maxAnchoredAt + " saw it at sequence "
                    + maxAnchored + ": the anchor was set back"));
        }
    }

    private JsonNode parse(String text) {
        try {
            JsonNode node = json.readTree(text);
            if (node == null || !node.isObject() || !node.path("seq").canConvertToLong() || !node.path("seq").isNumber()
                    || !node.path("prev").isTextual()) {
                return null;
            }
            return node;
        } catch (IOException e) {
            return null;
        }
    }
}
