package org.egovpki.core.sync;

import java.time.Instant;
import java.util.List;

/**
 * The commands CA admins add in an LDAP browser below a sync target ({@code egovSyncTargetCommand}
 * entries, docs/sync.md "In an LDAP browser"): the port {@link DirectorySyncCommands} reads them
 * through. The author of a command is the operator the directory recorded when the entry was
 * added; operators may add such entries but never modify or delete them, so the author of the
 * entry is the author of every value in it.
 */
public interface SyncCommandInbox {

    /**
     * One command entry, its values as written (unchecked).
     *
     * @param entry      the entry's DN
     * @param targetId   the target the entry is a direct child of; {@code null} if it is anywhere else
     * @param action     {@code egovSyncAction} as written
     * @param replayFrom {@code egovSyncReplayFrom} as written, or {@code null}
     * @param settings   the settings given on the entry ({@code null} fields: not given)
     * @param authorDn   the entry's {@code creatorsName}; empty if the directory gave none
     * @param addedAt    the entry's {@code createTimestamp}
     */
    record Command(String entry, String targetId, String action, String replayFrom,
                   SyncTargets.SettingsChange settings, String authorDn, Instant addedAt) {
    }

    /** Up to {@code limit} command entries, oldest first. */
    List<Command> commands(int limit);

    /**
     * Removes the entry, so a command is acted on once whoever else polls.
     *
     * @return false if it was gone already (another server claimed it)
     */
    boolean claim(Command command);

    /** Records on the target entry what became of the last command; nothing if the target is gone. */
    void note(String targetId, String note);
}
