package org.egovpki.server.audit;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.egovpki.core.audit.AuditAnchor;

/**
 * What {@link AuditTrailVerifier} found about one trail.
 *
 * @param trail            the trail's name
 * @param file             the file checked
 * @param events           complete lines read
 * @param lastSequence     the last line's sequence (0 for an empty trail)
 * @param anchor           the directory anchor compared with, or {@code null} (none stored, or not checked)
 * @param anchorChecked    whether the directory anchor was part of the check
 * @param problems         what is wrong now, first to last; empty when the trail is intact
 * @param notes            facts that are not problems (an anchor lagging after a crash, a torn last line)
 * @param recordedFindings findings an earlier start-up recorded in the trail itself
 *                         ({@code AUDIT_TRAIL_FINDING} events): the trail is intact since, but was not before
 * @param lastFindingLine  the line of the last {@code AUDIT_TRAIL_FINDING} event, 0 if none
 */
public record AuditVerification(String trail, Path file, long events, long lastSequence, AuditAnchor anchor,
                                 boolean anchorChecked, List<Problem> problems, List<String> notes,
                                 List<String> recordedFindings, long lastFindingLine) {

    /** Kinds of problems; each says what an attacker (or a broken disk) did. */
    public enum Kind {
        /** A line is not a JSON audit record. */
        UNREADABLE_LINE,
        /** A line's sequence or previous-hash does not follow the line before it (edited, deleted or inserted lines). */
        BROKEN_CHAIN,
        /** A checkpoint line does not seal the line before it, or its seal does not verify. */
        BAD_CHECKPOINT,
        /** The directory anchor seals a sequence beyond the file's end: lines were removed from the end. */
        TRUNCATED,
        /** The line at the anchor's sequence is not the one the anchor sealed: the trail was rewritten. */
        REWRITTEN,
        /** The file's checkpoints say the directory held an anchor, but there is none. */
        ANCHOR_MISSING,
        /** The directory anchor is older than one a checkpoint saw: it was set back. */
        ANCHOR_STALE,
        /** The directory anchor's seal does not verify with the audit seal key. */
        ANCHOR_FORGED
    }

    /**
     * One problem.
     *
     * @param line     the 1-based line number in the file, or 0 when it concerns no single line
     * @param sequence the sequence concerned, or 0
     */
    public record Problem(Kind kind, long line, long sequence, String message) {
        public Problem {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String toString() {
            return (line > 0 ? "line " + line + ", " : "") + (sequence > 0 ? "sequence " + sequence + ": " : "")
                    + kind + " - " + message;
        }
    }

    public AuditVerification {
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
        recordedFindings = List.copyOf(recordedFindings);
    }

    /**
     * The problems no {@code AUDIT_TRAIL_FINDING} event has recorded yet: those after the last
     * finding's line, and every anchor problem (the anchor is reset when a finding is recorded).
     * A chain broken in the middle stays broken in the file for good; it is recorded once.
     */
    public List<Problem> unrecorded() {
        return problems.stream().filter(p -> p.line() == 0 || p.line() > lastFindingLine).toList();
    }

    /** Whether nothing is wrong now. */
    public boolean intact() {
        return problems.isEmpty();
    }

    /** The operator-readable verdict, first line {@code OK}, {@code OK, WITH RECORDED FINDINGS} or {@code TAMPERED}. */
    public String verdict() {
        StringBuilder text = new StringBuilder();
        String anchorText = !anchorChecked ? "directory anchor not checked"
                : anchor == null ? "no directory anchor"
                : "directory anchor at sequence " + anchor.sequence() + " (sealed " + anchor.time() + ")";
        if (intact()) {
            text.append(recordedFindings.isEmpty() ? "OK" : "OK, WITH RECORDED FINDINGS").append(": audit trail ")
                    .append(trail).append(" (").append(file).append("): ").append(events).append(" events, last sequence ")
                    .append(lastSequence).append("; ").append(anchorText).append('\n');
        } else {
            text.append("TAMPERED: audit trail ").append(trail).append(" (").append(file).append("): ")
                    .append(problems.size()).append(" problem(s) in ").append(events).append(" events, last sequence ")
                    .append(lastSequence).append("; ").append(anchorText).append('\n');
            problems.forEach(p -> text.append("  problem: ").append(p).append('\n'));
        }
        recordedFindings.forEach(f -> text.append("  recorded finding: ").append(f).append('\n'));
        notes.forEach(n -> text.append("  note: ").append(n).append('\n'));
        return text.toString();
    }

    /** A one-line summary of the problems, for the log and the finding event. */
    public String summary() {
        return problems.stream().map(Problem::toString).reduce((a, b) -> a + "; " + b).orElse("intact");
    }
}
