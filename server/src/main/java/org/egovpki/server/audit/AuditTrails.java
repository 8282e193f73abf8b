package org.egovpki.server.audit;

import org.egovpki.core.audit.AuditExportSigner;
import org.egovpki.core.audit.AuditReview;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.egovpki.core.audit.AuditAnchor;
import org.egovpki.core.audit.AuditAnchors;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens an audit trail for appending only after checking it, the way the server does at start-up
 * and the CLI before each command that audits:
 * <ol>
 *   <li>verify the file (chain, checkpoint seals) against the directory anchor;</li>
 *   <li>on a problem no earlier finding recorded: log it as an ERROR saying what to do, record an
 *       {@link AuditEventType#AUDIT_TRAIL_FINDING} event (with the replaced anchor's values) and
 *       reset the directory anchor to that event, so the trail goes on from the finding and the
 *       finding itself is sealed by everything after it;</li>
 *   <li>otherwise advance the anchor; then write a sealed checkpoint.</li>
 * </ol>
 * It does not refuse to start: a CA that stops signing CRLs and OCSP answers harms every relying
 * party, and would hand anyone who can delete a line of a file a way to stop it. The evidence is
 * kept (the file is never rewritten, the old anchor's values are in the finding), and the
 * finding is reported by every later {@code audit verify}.
 */
public final class AuditTrails {

    private static final Logger LOG = LoggerFactory.getLogger(AuditTrails.class);
    /** Longest finding text stored in the event (the full report is one {@code audit verify} away). */
    private static final int MAX_FINDING = 2_000;

    private AuditTrails() {
    }

    /** An opened trail and what its check found. */
    public record Opened(FileAuditLog log, AuditVerification check) {
    }

    /**
     * @param reason the start checkpoint's reason, e.g. {@code start} or {@code cli operator add}
     */
    public static Opened open(Path file, String trail, AuditSeal seal, AuditAnchors anchors, Clock clock,
                              String reason) {
        return open(file, trail, seal, anchors, clock, AuditRotation.NEVER, reason);
    }

    /** As {@link #open(Path, String, AuditSeal, AuditAnchors, Clock, String)}, the files rotated by {@code rotation}. */
    public static Opened open(Path file, String trail, AuditSeal seal, AuditAnchors anchors, Clock clock,
                              AuditRotation rotation, String reason) {
        Objects.requireNonNull(anchors, "anchors");
        // Opened (and so locked) first: another writer of the same file waits until this one is done.
        FileAuditLog log = new FileAuditLog(file, trail, seal, clock, rotation);
        try {
            AuditAnchor anchor = anchors.latest(trail).orElse(null);
            AuditVerification check;
            try {
                check = new AuditTrailVerifier(seal).verify(file, trail, anchor);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the audit trail " + file + ": " + e.getMessage(), e);
            }
            List<AuditVerification.Problem> found = check.unrecorded();
            if (found.isEmpty()) {
                log.anchorTo(anchors, anchor, false);
            } else {
                long recordedAs = log.record(AuditEvent.failure(clock.instant(), AuditEventType.AUDIT_TRAIL_FINDING,
                        AuditEvent.SYSTEM, List.of(file.getFileName().toString()), details(check, found)));
                LOG.error("AUDIT TRAIL CHECK FAILED for {} ({} problem(s)): {}. The finding is recorded as sequence {} "
                                + "and the trail continues from there. Keep copies of the file and of the directory's "
                                + "ou=audit as evidence (do not edit them), run 'egov-pki audit verify' for the full "
                                + "report, and find out who could write the data directory or the directory.",
                        file, found.size(), summary(found), recordedAs);
                log.anchorTo(anchors, anchor, true);
            }
            if (!check.recordedFindings().isEmpty()) {
                LOG.warn("Audit trail {} records {} earlier finding(s); see 'egov-pki audit verify'", file,
                        check.recordedFindings().size());
            }
            log.checkpoint(reason);
            return new Opened(log, check);
        } catch (RuntimeException e) {
            log.close();
            throw e;
        }
    }

    private static Map<String, String> details(AuditVerification check, List<AuditVerification.Problem> found) {
        Map<String, String> details = new LinkedHashMap<>();
        String summary = summary(found);
        details.put("finding", summary.length() > MAX_FINDING ? summary.substring(0, MAX_FINDING) + "..." : summary);
        details.put("problems", Integer.toString(found.size()));
        details.put("fileLastSequence", Long.toString(check.lastSequence()));
        if (check.anchor() != null) {
            details.put("replacedAnchorSequence", Long.toString(check.anchor().sequence()));
            details.put("replacedAnchorHash", check.anchor().hash());
            details.put("replacedAnchorTime", check.anchor().time().toString());
        }
        return details;
    }

    private static String summary(List<AuditVerification.Problem> found) {
        return found.stream().map(AuditVerification.Problem::toString).reduce((a, b) -> a + "; " + b).orElse("");
    }

    /**
     * The trail's readers' service: reads and exports of {@code log}'s trail, each audited in it
     * first, by the roles {@link AuditReview} allows; exports signed by {@code signer}.
     */
    public static AuditReview review(FileAuditLog log, AuditExportSigner signer, Clock clock) {
        return new AuditReview(new FileAuditTrailReader(log.file(), log.trail(), signer, clock), log, clock);
    }
}
