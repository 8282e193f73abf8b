package org.egovpki.directory;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.egovpki.core.sync.SyncCommandInbox;
import org.egovpki.core.sync.SyncTarget;
import org.egovpki.core.sync.SyncTargets;
import org.egovpki.schema.DirectoryLayout;

/**
 * The commands CA admins add in an LDAP browser below a sync target: {@code egovSyncTargetCommand}
 * entries {@code egovSyncCommandId=<any name>,cn=<target>,ou=sync} (docs/sync.md, "In an LDAP
 * browser"), and the note on the target that says what became of the last one.
 *
 * <p>The author of a command is the entry's {@code creatorsName}, which the directory sets itself
 * when the entry is added; operators may add command entries but neither modify nor delete them
 * ({@code ApacheDsAccessControl}, the OpenLDAP rules in docs/directory.md), so the author wrote
 * every value the CA reads from the entry.
 */
public final class LdapSyncCommandInbox implements SyncCommandInbox {

    static final String COMMAND_CLASS = "egovSyncTargetCommand";
    private static final String NOTES_CLASS = "egovSyncCommandNotes";
    private static final String NOTE = "egovSyncCommandNote";
    private static final int MAX_NOTE = 1000;
    /** In an UPDATE, the one business type value that means "every business type" (the REST API's empty list). */
    static final String ALL_BUSINESS_TYPES = "*";

    private final LDAPInterface ldap;
    private final DirectoryNames names;

    public LdapSyncCommandInbox(LDAPInterface ldap, DirectoryNames names) {
        this.ldap = Objects.requireNonNull(ldap, "ldap");
        this.names = Objects.requireNonNull(names, "names");
    }

    @Override
    public List<Command> commands(int limit) {
        List<Command> found = new ArrayList<>();
        for (SearchResultEntry e : search(limit)) {
            String author = e.getAttributeValue("creatorsName");
            Instant added = LdapValues.time(e, "createTimestamp");
            found.add(new Command(e.getDN(), targetIdAbove(e), e.getAttributeValue("egovSyncAction"),
                    e.getAttributeValue("egovSyncReplayFrom"), settings(e), author == null ? "" : author,
                    added == null ? Instant.EPOCH : added));
        }
        found.sort(Comparator.comparing(Command::addedAt).thenComparing(Command::entry));
        return found;
    }

    /** The settings given on the entry, as the REST API spells them; absent attributes are {@code null}. */
    private static SyncTargets.SettingsChange settings(SearchResultEntry e) {
        String uri = e.getAttributeValue("labeledURI");
        List<String> types = e.hasAttribute("egovBusinessType") ? LdapValues.values(e, "egovBusinessType") : null;
        if (types != null && types.size() == 1 && ALL_BUSINESS_TYPES.equals(types.get(0).strip())) {
            types = List.of();
        }
        return new SyncTargets.SettingsChange(
                // labeledURI may carry a label after the URL (RFC 2079).
                uri == null ? null : uri.strip().split("\\s+", 2)[0],
                e.getAttributeValue("egovSyncBinding"), types, e.getAttributeValue("egovSyncCaIdentifier"),
                bool(e, "egovSyncEnabled"), e.getAttributeValue("egovSyncSchedule"),
                bool(e, "egovSyncPersonalData"));
    }

    private static Boolean bool(SearchResultEntry e, String attribute) {
        String value = e.getAttributeValue(attribute);
        return value == null ? null : "TRUE".equals(value.strip().toUpperCase(Locale.ROOT));
    }

    /** The id of the target the command entry is a direct child of; {@code null} if it is anywhere else. */
    private String targetIdAbove(SearchResultEntry entry) {
        try {
            DN parent = entry.getParsedDN().getParent();
            RDN rdn = parent == null ? null : parent.getRDN();
            if (rdn == null || rdn.getAttributeNames().length != 1 || !rdn.hasAttribute("cn")) {
                return null;
            }
            String id = rdn.getAttributeValues()[0];
            return SyncTarget.ID.matcher(id).matches() && names.syncTarget(id).equals(parent) ? id : null;
        } catch (LDAPException e) {
            return null;
        }
    }

    @Override
    public boolean claim(Command command) {
        try {
            ldap.delete(command.entry());
            return true;
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                return false;
            }
            throw LdapErrors.toDomain("removing the sync command entry " + command.entry(), e);
        }
    }

    @Override
    public void note(String targetId, String note) {
        String text = note.length() > MAX_NOTE ? note.substring(0, MAX_NOTE) : note;
        String dn = names.syncTarget(targetId).toString();
        try {
            SearchResultEntry target = ldap.getEntry(dn, "objectClass");
            if (target == null || !target.hasObjectClass("egovSyncTarget")) {
                return;
            }
            List<Modification> mods = new ArrayList<>();
            if (!target.hasObjectClass(NOTES_CLASS)) {
                mods.add(new Modification(ModificationType.ADD, "objectClass", NOTES_CLASS));
            }
            mods.add(new Modification(ModificationType.REPLACE, NOTE, text));
            ldap.modify(dn, mods);
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                return;
            }
            throw LdapErrors.toDomain("noting on sync target " + targetId, e);
        }
    }

    private List<SearchResultEntry> search(int limit) {
        try {
            SearchRequest request = new SearchRequest(names.container(DirectoryLayout.Container.SYNC).toString(),
                    SearchScope.SUB, Filter.createEqualityFilter("objectClass", COMMAND_CLASS), "egovSyncAction",
                    "egovSyncReplayFrom", "labeledURI", "egovSyncBinding", "egovBusinessType", "egovSyncCaIdentifier",
                    "egovSyncEnabled", "egovSyncSchedule", "egovSyncPersonalData", "creatorsName", "createTimestamp");
            request.setSizeLimit(limit);
            return ldap.search(request).getSearchEntries();
        } catch (LDAPSearchException e) {
            if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED) {
                return e.getSearchEntries();
            }
            throw LdapErrors.toDomain("searching sync targets for directory commands", e);
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("searching sync targets for directory commands", e);
        }
    }
}
