package org.egovpki.directory;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.egovpki.core.DomainException;
import org.egovpki.core.sync.SyncBinding;
import org.egovpki.core.sync.SyncEventType;
import org.egovpki.core.sync.SyncMessage;
import org.egovpki.core.sync.SyncStore;
import org.egovpki.core.sync.SyncTarget;
import org.egovpki.core.sync.TargetState;
import org.egovpki.schema.DirectoryLayout;

/**
 * Sync targets under {@code ou=sync}: {@code cn=<id>} entries of {@code egovSyncTarget} +
 * {@code egovSyncTargetSettings} (the settings an administrator edits) + {@code egovSyncCursor} +
 * {@code egovSyncDelivery} (the delivery state), and each target's messages as
 * {@code egovSyncSequence=<n>} children ({@code egovSyncMessage}), written once.
 *
 * <p>The state's compare-and-swap deletes the expected {@code egovSyncLastDelivered} and
 * {@code egovSyncParked} values and adds the new ones in one modify, so an administrator's re-drive,
 * skip or replay in an LDAP browser between the read and the write makes the write fail. A message
 * is added before {@code egovSyncLastEnqueued} is raised; {@link #state} reports the highest
 * message stored, so a crash between the two loses nothing.
 */
public final class LdapSyncStore implements SyncStore {

    static final String OC_TARGET = "egovSyncTarget";
    static final String OC_MESSAGE = "egovSyncMessage";
    static final String AT_SEQUENCE = "egovSyncSequence";
    private static final String AT_LAST_ENQUEUED = "egovSyncLastEnqueued";
    private static final String AT_LAST_DELIVERED = "egovSyncLastDelivered";
    private static final String AT_PARKED = "egovSyncParked";
    private static final String AT_ATTEMPTS = "egovSyncAttempts";
    private static final String AT_LAST_ERROR = "egovSyncLastError";
    private static final String AT_LAST_ATTEMPT = "egovSyncLastAttempt";
    private static final String AT_LAST_SUCCESS = "egovSyncLastSuccess";
    private static final String AT_NEXT_ATTEMPT = "egovSyncNextAttempt";
    private static final String AT_ENQUEUED_AT = "egovSyncEnqueuedAt";
    private static final String AT_BODY = "egovSyncBody";
    private static final String AT_SIGNATURE = "egovSyncSignature";
    private static final String[] STATE_ATTRIBUTES = {AT_LAST_ENQUEUED, AT_LAST_DELIVERED, AT_PARKED, AT_ATTEMPTS,
            AT_LAST_ERROR, AT_LAST_ATTEMPT, AT_LAST_SUCCESS, AT_NEXT_ATTEMPT};
    /** The settings an administrator edits; {@link #replaceTarget} rewrites exactly these. */
    private static final List<String> SETTINGS = List.of("labeledURI", "egovSyncBinding", "egovBusinessType",
            "egovSyncCaIdentifier", "egovSyncAuthentication", "egovSyncUsername", "egovSyncEnabled",
            "egovSyncSchedule", "egovSyncPersonalData");
    /** A lost compare-and-swap shows up as one of these, depending on the server. */
    private static final Set<ResultCode> RACE_LOST = Set.of(ResultCode.NO_SUCH_ATTRIBUTE,
            ResultCode.ATTRIBUTE_OR_VALUE_EXISTS, ResultCode.CONSTRAINT_VIOLATION);
    /** The longest error text kept: enough to tell what went wrong, never a whole answer body. */
    private static final int MAX_ERROR = 500;

    private final LDAPInterface ldap;
    private final DirectoryNames names;

    public LdapSyncStore(LDAPInterface ldap, DirectoryNames names) {
        this.ldap = Objects.requireNonNull(ldap, "ldap");
        this.names = Objects.requireNonNull(names, "names");
    }

    // ------------------------------------------------------------------ targets

    @Override
    public List<SyncTarget> targets() {
        try {
            SearchResult result = ldap.search(names.container(DirectoryLayout.Container.SYNC).toString(),
                    SearchScope.ONE, Filter.createEqualityFilter("objectClass", OC_TARGET), settingsAttributes());
            return result.getSearchEntries().stream().map(LdapSyncStore::toTarget)
                    .sorted(Comparator.comparing(SyncTarget::id)).toList();
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("listing the sync targets", e);
        }
    }

    @Override
    public Optional<SyncTarget> target(String id) {
        try {
            SearchResultEntry e = ldap.getEntry(names.syncTarget(id).toString(), settingsAttributes());
            return e == null || !e.hasObjectClass(OC_TARGET) ? Optional.empty() : Optional.of(toTarget(e));
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("reading sync target " + id, e);
        }
    }

    @Override
    public boolean addTarget(SyncTarget target) {
        List<Attribute> attributes = new ArrayList<>();
        attributes.add(new Attribute("objectClass", "top", OC_TARGET, "egovSyncTargetSettings", "egovSyncCursor",
                "egovSyncDelivery"));
        attributes.add(new Attribute("cn", target.id()));
        attributes.addAll(settings(target));
        attributes.add(new Attribute(AT_LAST_ENQUEUED, "0"));
        attributes.add(new Attribute(AT_LAST_DELIVERED, "0"));
        attributes.add(new Attribute(AT_PARKED, LdapValues.bool(false)));
        attributes.add(new Attribute(AT_ATTEMPTS, "0"));
        try {
            ldap.add(new Entry(names.syncTarget(target.id()).toString(), attributes));
            return true;
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.ENTRY_ALREADY_EXISTS) {
                return false;
            }
            throw LdapErrors.toDomain("adding sync target " + target.id(), e);
        }
    }

    @Override
    public boolean replaceTarget(SyncTarget target) {
        List<Attribute> present = settings(target);
        List<Modification> mods = new ArrayList<>();
        for (String name : SETTINGS) {
            Attribute value = present.stream().filter(a -> a.getName().equals(name)).findFirst().orElse(null);
            mods.add(value == null ? new Modification(ModificationType.REPLACE, name)
                    : new Modification(ModificationType.REPLACE, name, value.getValues()));
        }
        try {
            if (target(target.id()).isEmpty()) {
                return false;
            }
            ldap.modify(names.syncTarget(target.id()).toString(), mods);
            return true;
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                return false;
            }
            throw LdapErrors.toDomain("changing sync target " + target.id(), e);
        }
    }

    @Override
    public boolean deleteTarget(String id) {
        if (target(id).isEmpty()) {
            return false;
        }
        String dn = names.syncTarget(id).toString();
        try {
            // Children first (the messages), in batches: LDAP deletes only leaves.
            List<SearchResultEntry> children;
            while (!(children = ldap.search(dn, SearchScope.ONE, Filter.createPresenceFilter("objectClass"), "1.1")
                    .getSearchEntries()).isEmpty()) {
                for (SearchResultEntry child : children) {
                    deleteIfPresent(child.getDN());
                }
            }
            deleteIfPresent(dn);
            return true;
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("deleting sync target " + id, e);
        }
    }

    // ------------------------------------------------------------------ queue

    @Override
    public boolean enqueue(SyncMessage m) {
        Entry entry = new Entry(names.syncMessage(m.targetId(), m.sequence()).toString(),
                new Attribute("objectClass", "top", OC_MESSAGE),
                new Attribute(AT_SEQUENCE, Long.toString(m.sequence())),
                new Attribute("egovSyncEventId", m.eventId()),
                new Attribute("egovSyncEventType", m.type().wireName()),
                new Attribute("egovIssuerName", m.ca()),
                new Attribute("egovSyncCaSequence", Long.toString(m.caSequence())),
                new Attribute(AT_ENQUEUED_AT, LdapValues.time(m.enqueuedAt())),
                new Attribute(AT_BODY, m.body()),
                new Attribute(AT_SIGNATURE, m.signature()));
        try {
            ldap.add(entry);
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.ENTRY_ALREADY_EXISTS) {
                return false;
            }
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                throw new DomainException(DomainException.Kind.NOT_FOUND, "no sync target " + m.targetId());
            }
            throw LdapErrors.toDomain("enqueueing message " + m.sequence() + " for sync target " + m.targetId(), e);
        }
        try {
            // Raised after the add: state() also looks past it, so a crash here loses nothing.
            if (m.sequence() > storedState(m.targetId()).lastEnqueued()) {
                ldap.modify(names.syncTarget(m.targetId()).toString(),
                        new Modification(ModificationType.REPLACE, AT_LAST_ENQUEUED, Long.toString(m.sequence())));
            }
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("recording message " + m.sequence() + " of sync target " + m.targetId(), e);
        }
        return true;
    }

    @Override
    public Optional<SyncMessage> message(String targetId, long sequence) {
        try {
            SearchResultEntry e = ldap.getEntry(names.syncMessage(targetId, sequence).toString());
            return e == null ? Optional.empty() : Optional.of(toMessage(targetId, e));
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("reading message " + sequence + " of sync target " + targetId, e);
        }
    }

    @Override
    public List<SyncMessage> messages(String targetId, long afterSequence, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        // Sequences have no gaps above the purged ones, so a range of limit numbers holds at most limit entries.
        Filter range = Filter.createANDFilter(Filter.createEqualityFilter("objectClass", OC_MESSAGE),
                Filter.createGreaterOrEqualFilter(AT_SEQUENCE, Long.toString(afterSequence + 1)),
                Filter.createLessOrEqualFilter(AT_SEQUENCE, Long.toString(afterSequence + limit)));
        return search(targetId, range).stream().map(e -> toMessage(targetId, e))
                .sorted(Comparator.comparingLong(SyncMessage::sequence)).limit(limit).toList();
    }

    @Override
    public int purgeDelivered(String targetId, Instant before) {
        long delivered = state(targetId).lastDelivered();
        if (delivered == 0) {
            return 0;
        }
        Filter old = Filter.createANDFilter(Filter.createEqualityFilter("objectClass", OC_MESSAGE),
                Filter.createLessOrEqualFilter(AT_SEQUENCE, Long.toString(delivered)),
                Filter.createLessOrEqualFilter(AT_ENQUEUED_AT, LdapValues.time(before)));
        int purged = 0;
        try {
            for (SearchResultEntry e : search(targetId, old)) {
                Instant enqueuedAt = LdapValues.time(e, AT_ENQUEUED_AT);
                if (enqueuedAt != null && enqueuedAt.isBefore(before)) {
                    deleteIfPresent(e.getDN());
                    purged++;
                }
            }
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("purging delivered messages of sync target " + targetId, e);
        }
        return purged;
    }

    // ------------------------------------------------------------------ state

    @Override
    public TargetState state(String targetId) {
        TargetState stored = storedState(targetId);
        // A message added just before a crash, before egovSyncLastEnqueued was raised. Messages are
        // added one after another, numbered on from the counter, and never deleted above it: those
        // above are found by name, one read when there is none. (A search egovSyncSequence>=n made
        // slapd walk the index of every outbox event and message numbered above n, of every CA and
        // target: millions for a target that takes only some of the events.)
        long highest = stored.lastEnqueued();
        try {
            while (ldap.getEntry(names.syncMessage(targetId, highest + 1).toString(), "1.1") != null) {
                highest++;
            }
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("reading the messages of sync target " + targetId, e);
        }
        return highest == stored.lastEnqueued() ? stored : new TargetState(highest, stored.lastDelivered(),
                stored.parked(), stored.attempts(), stored.lastError(), stored.lastAttemptAt(),
                stored.lastSuccessAt(), stored.nextAttemptAt());
    }

    @Override
    public boolean updateState(String targetId, TargetState expected, TargetState updated) {
        List<Modification> mods = new ArrayList<>();
        mods.add(new Modification(ModificationType.DELETE, AT_LAST_DELIVERED, Long.toString(expected.lastDelivered())));
        mods.add(new Modification(ModificationType.ADD, AT_LAST_DELIVERED, Long.toString(updated.lastDelivered())));
        mods.add(new Modification(ModificationType.DELETE, AT_PARKED, LdapValues.bool(expected.parked())));
        mods.add(new Modification(ModificationType.ADD, AT_PARKED, LdapValues.bool(updated.parked())));
        mods.add(new Modification(ModificationType.REPLACE, AT_ATTEMPTS, Integer.toString(updated.attempts())));
        mods.add(replace(AT_LAST_ERROR, updated.lastError() == null ? null
                : updated.lastError().substring(0, Math.min(MAX_ERROR, updated.lastError().length()))));
        mods.add(replace(AT_LAST_ATTEMPT, time(updated.lastAttemptAt())));
        mods.add(replace(AT_LAST_SUCCESS, time(updated.lastSuccessAt())));
        mods.add(replace(AT_NEXT_ATTEMPT, time(updated.nextAttemptAt())));
        try {
            ldap.modify(names.syncTarget(targetId).toString(), mods);
            return true;
        } catch (LDAPException e) {
            if (RACE_LOST.contains(e.getResultCode())) {
                return false;
            }
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                throw new DomainException(DomainException.Kind.NOT_FOUND, "no sync target " + targetId);
            }
            throw LdapErrors.toDomain("updating the delivery state of sync target " + targetId, e);
        }
    }

    // ------------------------------------------------------------------ mapping

    private TargetState storedState(String targetId) {
        try {
            SearchResultEntry e = ldap.getEntry(names.syncTarget(targetId).toString(), STATE_ATTRIBUTES);
            if (e == null) {
                throw new DomainException(DomainException.Kind.NOT_FOUND, "no sync target " + targetId);
            }
            return new TargetState(number(e, AT_LAST_ENQUEUED), number(e, AT_LAST_DELIVERED),
                    LdapValues.bool(e, AT_PARKED), (int) number(e, AT_ATTEMPTS), e.getAttributeValue(AT_LAST_ERROR),
                    LdapValues.time(e, AT_LAST_ATTEMPT), LdapValues.time(e, AT_LAST_SUCCESS),
                    LdapValues.time(e, AT_NEXT_ATTEMPT));
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("reading the delivery state of sync target " + targetId, e);
        }
    }

    private List<SearchResultEntry> search(String targetId, Filter filter) {
        try {
            return ldap.search(names.syncTarget(targetId).toString(), SearchScope.ONE, filter).getSearchEntries();
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                throw new DomainException(DomainException.Kind.NOT_FOUND, "no sync target " + targetId);
            }
            throw LdapErrors.toDomain("reading the messages of sync target " + targetId, e);
        }
    }

    private void deleteIfPresent(String dn) throws LDAPException {
        try {
            ldap.delete(dn);
        } catch (LDAPException e) {
            if (e.getResultCode() != ResultCode.NO_SUCH_OBJECT) {
                throw e;
            }
        }
    }

    private static String[] settingsAttributes() {
        List<String> attributes = new ArrayList<>(SETTINGS);
        attributes.add("cn");
        attributes.add("objectClass");
        return attributes.toArray(String[]::new);
    }

    private static List<Attribute> settings(SyncTarget t) {
        List<Attribute> a = new ArrayList<>();
        a.add(new Attribute("labeledURI", t.url().toString()));
        a.add(new Attribute("egovSyncBinding", t.binding().name()));
        LdapValues.put(a, "egovBusinessType", t.businessTypes().stream().sorted().toList());
        a.add(new Attribute("egovSyncCaIdentifier", t.caIdentifier()));
        a.add(new Attribute("egovSyncAuthentication", t.authentication().kind().name()));
        LdapValues.put(a, "egovSyncUsername", t.authentication().username());
        a.add(new Attribute("egovSyncEnabled", LdapValues.bool(t.enabled())));
        a.add(new Attribute("egovSyncSchedule", t.schedule()));
        a.add(new Attribute("egovSyncPersonalData", LdapValues.bool(t.personalData())));
        return a;
    }

    /**
     * The target as an administrator may have left it in an LDAP browser: a missing binding is JSON,
     * a missing schedule realtime, a missing authentication NONE.
     */
    private static SyncTarget toTarget(Entry e) {
        String id = e.getAttributeValue("cn");
        String uri = e.getAttributeValue("labeledURI");
        // labeledURI may carry a label after the URL (RFC 2079).
        URI url = URI.create(uri == null ? "" : uri.trim().split("\\s+", 2)[0]);
        String binding = e.getAttributeValue("egovSyncBinding");
        String authKind = e.getAttributeValue("egovSyncAuthentication");
        SyncTarget.Authentication.Kind kind = authKind == null ? SyncTarget.Authentication.Kind.NONE
                : SyncTarget.Authentication.Kind.valueOf(authKind.toUpperCase(java.util.Locale.ROOT));
        SyncTarget.Authentication authentication = kind == SyncTarget.Authentication.Kind.NONE
                ? SyncTarget.Authentication.NONE
                : new SyncTarget.Authentication(kind, kind == SyncTarget.Authentication.Kind.BASIC
                        ? Objects.requireNonNullElse(e.getAttributeValue("egovSyncUsername"), "") : null);
        String schedule = e.getAttributeValue("egovSyncSchedule");
        String caIdentifier = e.getAttributeValue("egovSyncCaIdentifier");
        return new SyncTarget(id, url,
                binding == null ? SyncBinding.JSON : SyncBinding.valueOf(binding.toUpperCase(java.util.Locale.ROOT)),
                new HashSet<>(LdapValues.values(e, "egovBusinessType")), caIdentifier == null ? "" : caIdentifier,
                authentication, LdapValues.bool(e, "egovSyncEnabled"),
                schedule == null ? SyncTarget.REALTIME : schedule, LdapValues.bool(e, "egovSyncPersonalData"));
    }

    private static SyncMessage toMessage(String targetId, Entry e) {
        SyncEventType type = SyncEventType.fromWireName(e.getAttributeValue("egovSyncEventType"))
                .orElseThrow(() -> new IllegalStateException("message " + e.getDN() + " has an unknown event type"));
        return new SyncMessage(targetId, e.getAttributeValueAsLong(AT_SEQUENCE), e.getAttributeValue("egovSyncEventId"),
                type, e.getAttributeValue("egovIssuerName"), e.getAttributeValueAsLong("egovSyncCaSequence"),
                LdapValues.time(e, AT_ENQUEUED_AT), LdapValues.binary(e, AT_BODY), LdapValues.binary(e, AT_SIGNATURE));
    }

    private static long number(Entry e, String attribute) {
        Long value = e.getAttributeValueAsLong(attribute);
        return value == null ? 0 : value;
    }

    private static String time(Instant instant) {
        return instant == null ? null : LdapValues.time(instant);
    }

    private static Modification replace(String attribute, String value) {
        return value == null ? new Modification(ModificationType.REPLACE, attribute)
                : new Modification(ModificationType.REPLACE, attribute, value);
    }

    /** The DN of a target's entry, for tests and tools. */
    DN targetDn(String id) {
        return names.syncTarget(id);
    }
}
