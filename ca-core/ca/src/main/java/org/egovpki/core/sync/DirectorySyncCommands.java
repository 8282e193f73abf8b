package org.egovpki.core.sync;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditLog;
import org.egovpki.core.operator.Operator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acts on the commands CA admins add in an LDAP browser below a sync target (docs/sync.md, "In an
 * LDAP browser"): re-drive, skip, replay, or change some settings.
 *
 * <p>A command is an entry ({@link SyncCommandInbox.Command}) whose author is the operator the
 * directory recorded when it was added. Each entry is claimed (removed) once, then run through
 * {@link SyncTargets} exactly as a REST call would be, as that operator: one who is not a CA admin
 * today, or is disabled, is refused by the same checks, every outcome is in the audit trail with
 * {@code channel: ldap} and the entry's DN, and {@code egovSyncCommandNote} on the target says what
 * became of it. The directory itself grants every operator the add; who may command is decided here.
 */
public final class DirectorySyncCommands {

    private static final Logger LOG = LoggerFactory.getLogger(DirectorySyncCommands.class);
    private static final int BATCH = 100;

    /** What a command entry may ask, as {@code egovSyncAction} spells it. */
    enum Action {
        REDRIVE(AuditEventType.SYNC_TARGET_REDRIVEN),
        SKIP(AuditEventType.SYNC_TARGET_SKIPPED),
        REPLAY(AuditEventType.SYNC_TARGET_REPLAYED),
        UPDATE(AuditEventType.SYNC_TARGET_CHANGED);

        private final AuditEventType audited;

        Action(AuditEventType audited) {
            this.audited = audited;
        }
    }

    private final SyncCommandInbox inbox;
    private final SyncTargets targets;
    private final Function<String, Optional<Operator>> activeOperatorByDn;
    private final AuditLog audit;
    private final Clock clock;

    /**
     * @param activeOperatorByDn the operator bound with a DN, empty if there is none or it is disabled
     */
    public DirectorySyncCommands(SyncCommandInbox inbox, SyncTargets targets,
                                 Function<String, Optional<Operator>> activeOperatorByDn, AuditLog audit, Clock clock) {
        this.inbox = Objects.requireNonNull(inbox, "inbox");
        this.targets = Objects.requireNonNull(targets, "targets");
        this.activeOperatorByDn = Objects.requireNonNull(activeOperatorByDn, "activeOperatorByDn");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @return how many command entries were dealt with */
    public int processPending() {
        int handled = 0;
        for (SyncCommandInbox.Command command : inbox.commands(BATCH)) {
            // Claimed first: a command is acted on at most once, whoever else polls.
            if (inbox.claim(command)) {
                handled++;
                act(command);
            }
        }
        return handled;
    }

    private void act(SyncCommandInbox.Command command) {
        Map<String, String> context = new LinkedHashMap<>();
        context.put("channel", "ldap");
        context.put("commandEntry", command.entry());
        Optional<Action> action = parse(command.action());
        if (command.targetId() == null) {
            refuse(command, AuditEventType.DIRECTORY_CHANGE_REFUSED, context, "a command entry must be a direct child "
                    + "of a sync target (cn=<target>,ou=sync); it was removed");
            return;
        }
        if (action.isEmpty()) {
            refuse(command, AuditEventType.DIRECTORY_CHANGE_REFUSED, context, "egovSyncAction must be REDRIVE, SKIP, "
                    + "REPLAY or UPDATE, not '" + shorten(command.action()) + "'; the entry was removed, add a new one");
            return;
        }
        Optional<Operator> author = activeOperatorByDn.apply(command.authorDn());
        if (author.isEmpty()) {
            refuse(command, action.get().audited, context, command.authorDn() + " is not an active egov-pki operator; "
                    + "only CA admins bound with their own operator DN can command sync targets, and not while their "
                    + "one-time or expired password is unchanged or their role needs the operator certificate, which an "
                    + "LDAP bind does not present (use the API with a two-factor session)");
            return;
        }
        Optional<String> malformed = malformed(action.get(), command);
        if (malformed.isPresent()) {
            refuse(command, action.get().audited, context, malformed.get() + "; the entry was removed, add a new one");
            return;
        }
        String what = action.get() + (action.get() == Action.REPLAY ? " from " + command.replayFrom().strip() : "")
                + " by " + author.get().dn();
        String outcome;
        try {
            run(action.get(), author.get(), command, context);
            outcome = what + " (command entry added in the directory) was accepted";
            LOG.info("Acted on {} of sync target {} from the directory", what, command.targetId());
        } catch (DomainException e) {
            // SyncTargets has audited the refusal with the author as actor.
            LOG.info("Refused {} of sync target {} from the directory: {}", what, command.targetId(), e.getMessage());
            outcome = what + " was refused: " + e.publicMessage();
        }
        // Noted apart: a note that cannot be written never turns an accepted command into a refused one.
        inbox.note(command.targetId(), outcome);
    }

    private void run(Action action, Operator author, SyncCommandInbox.Command command, Map<String, String> context) {
        String id = command.targetId();
        switch (action) {
            case REDRIVE -> targets.redrive(author, id, context);
            case SKIP -> targets.skip(author, id, context);
            case REPLAY -> targets.replay(author, id, Long.parseLong(command.replayFrom().strip()), context);
            case UPDATE -> targets.change(author, id, command.settings(), context);
            default -> throw new IllegalStateException("action " + action);
        }
    }

    /** What is wrong with the values given for {@code action}, before anything is asked of the targets. */
    private static Optional<String> malformed(Action action, SyncCommandInbox.Command command) {
        boolean settings = command.settings() != null && !command.settings().isEmpty();
        if (action == Action.UPDATE) {
            return settings ? noReplayFrom(action, command) : Optional.of("an UPDATE command needs at least one setting "
                    + "to change (labeledURI, egovSyncBinding, egovBusinessType, egovSyncCaIdentifier, egovSyncEnabled, "
                    + "egovSyncSchedule, egovSyncPersonalData)");
        }
        if (settings) {
            return Optional.of("settings go with an UPDATE command only, not " + action);
        }
        if (action != Action.REPLAY) {
            return noReplayFrom(action, command);
        }
        String from = command.replayFrom();
        if (from == null || !from.strip().matches("[0-9]{1,18}")) {
            return Optional.of("a REPLAY command needs egovSyncReplayFrom, the sequence to deliver again from (a "
                    + "decimal number), not '" + shorten(from) + "'");
        }
        return Optional.empty();
    }

    private static Optional<String> noReplayFrom(Action action, SyncCommandInbox.Command command) {
        return command.replayFrom() == null ? Optional.empty()
                : Optional.of("egovSyncReplayFrom goes with a REPLAY command only, not " + action);
    }

    /** Audits a command the targets never saw, and notes why on the target. */
    private void refuse(SyncCommandInbox.Command command, AuditEventType type, Map<String, String> context,
                        String error) {
        Map<String, String> details = new LinkedHashMap<>(context);
        details.put("error", error);
        audit.record(AuditEvent.failure(clock.instant(), type, command.authorDn(),
                command.targetId() == null ? List.of() : List.of("sync-target:" + command.targetId()), details));
        if (command.targetId() != null) {
            inbox.note(command.targetId(), "the command '" + shorten(command.action()) + "' added by "
                    + command.authorDn() + " was refused: " + error);
        }
        LOG.info("Refused the directory command {} by {}: {}", command.entry(), command.authorDn(), error);
    }

    /** REDRIVE, SKIP, REPLAY or UPDATE, in any case and with surrounding spaces, as a browser may write them. */
    private static Optional<Action> parse(String value) {
        String word = value == null ? "" : value.strip().toUpperCase(Locale.ROOT);
        for (Action action : Action.values()) {
            if (action.name().equals(word)) {
                return Optional.of(action);
            }
        }
        return Optional.empty();
    }

    private static String shorten(String value) {
        if (value == null) {
            return "";
        }
        return value.length() > 40 ? value.substring(0, 40) + "..." : value;
    }
}
