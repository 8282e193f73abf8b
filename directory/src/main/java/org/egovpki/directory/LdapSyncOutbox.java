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
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.sync.OutboxEvent;
import org.egovpki.core.sync.SyncEvent;
import org.egovpki.core.sync.SyncEventJson;
import org.egovpki.core.sync.SyncMarkers;
import org.egovpki.core.sync.SyncOutbox;
import org.egovpki.schema.DirectoryLayout;

/**
 * The sync outbox under {@code ou=outbox,ou=sync} — per CA a {@code cn=<ca>} entry
 * ({@code egovSyncOutbox}: the last number appended, the last one fanned out) with its events as
 * {@code egovSyncSequence=<n>} children written once — and the owed-event markers
 * ({@code egovSyncOwed}) on certificate records, CA entries and CRL partition entries.
 *
 * <p>One writer (the capture worker). An event is added before the CA's counter is raised (every
 * {@value #COUNTER_LAG} events), and the next number is one past the highest event at or above the
 * counter, so neither a crash nor the trailing counter reuses or skips a number; an append first
 * looks the event id up, so a capture repeated after a crash between the append and the marker's
 * removal adds nothing.
 */
public final class LdapSyncOutbox implements SyncOutbox, SyncMarkers {

    private static final String OC_OUTBOX = "egovSyncOutbox";
    private static final String OC_EVENT = "egovSyncOutboxEvent";
    private static final String AT_SEQUENCE = "egovSyncSequence";
    private static final String AT_EVENT_ID = "egovSyncEventId";
    private static final String AT_CA_SEQUENCE = "egovSyncCaSequence";
    /**
     * How far the CA's counter may trail the last event appended. The counter is a floor, not the
     * truth: the event entries are named by their sequence, so the next number is one past the
     * highest entry at or above the counter, and a number is never reused (purge keeps the highest
     * entry above the counter). Raising it every 16th append instead of every time saves the
     * directory a write per event.
     */
    static final int COUNTER_LAG = 16;
    /** How many numbers above the counter one look-up of the last appended event asks for. */
    static final int LOOK_ABOVE = 2 * COUNTER_LAG;
    private static final String AT_FANNED_OUT = "egovSyncFannedOut";
    private static final int PURGE_BATCH = 1000;
    private static final String AT_DATA = "egovSyncEventData";
    /** The marker attribute and the auxiliary class that allows it. */
    public static final String AT_OWED = "egovSyncOwed";
    /** Most events one {@link #after} returns, whatever the limit asked. */
    static final int MAX_READ = 1000;
    public static final String OC_OWED = "egovSyncOwedEvents";

    private final LDAPInterface ldap;
    private final DirectoryNames names;
    private final Clock clock;
    private final Set<String> outboxes = ConcurrentHashMap.newKeySet();

    public LdapSyncOutbox(LDAPInterface ldap, DirectoryNames names, Clock clock) {
        this.ldap = Objects.requireNonNull(ldap, "ldap");
        this.names = Objects.requireNonNull(names, "names");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    // ------------------------------------------------------------------ outbox

    @Override
    public OutboxEvent append(SyncEvent event) {
        String ca = event.ca();
        try {
            ensureOutbox(ca);
            List<SearchResultEntry> existing = ldap.search(names.syncOutbox(ca).toString(), SearchScope.ONE,
                    Filter.createANDFilter(Filter.createEqualityFilter("objectClass", OC_EVENT),
                            Filter.createEqualityFilter(AT_EVENT_ID, event.id()))).getSearchEntries();
            if (!existing.isEmpty()) {
                return toEvent(existing.get(0));
            }
            Appended appended = lastAppended(ca);
            long next = appended.last() + 1;
            ldap.add(new Entry(names.syncOutboxEvent(ca, next).toString(),
                    new Attribute("objectClass", "top", OC_EVENT),
                    new Attribute(AT_SEQUENCE, Long.toString(next)),
                    new Attribute(AT_EVENT_ID, event.id()),
                    new Attribute("egovSyncEventType", event.type().wireName()),
                    new Attribute("egovCreatedAt", LdapValues.time(clock.instant())),
                    new Attribute(AT_DATA, SyncEventJson.write(event))));
            if (next - appended.counter() >= COUNTER_LAG) {
                ldap.modify(names.syncOutbox(ca).toString(),
                        new Modification(ModificationType.REPLACE, AT_CA_SEQUENCE, Long.toString(next)));
            }
            return new OutboxEvent(next, event);
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("appending sync event " + event.id() + " to the outbox", e);
        }
    }

    @Override
    public List<OutboxEvent> after(String ca, long caSequence, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        // The numbers caSequence+1 .. caSequence+limit themselves, not a range (a <= made slapd read
        // every event kept: 3.6 ms a call with 3,000); at most MAX_READ: callers read in batches.
        Filter range = eventsNumbered(caSequence + 1, Math.min(limit, MAX_READ));
        try {
            return ldap.search(names.syncOutbox(ca).toString(), SearchScope.ONE, range).getSearchEntries().stream()
                    .map(LdapSyncOutbox::toEvent).sorted(Comparator.comparingLong(OutboxEvent::caSequence)).toList();
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                return List.of();
            }
            throw LdapErrors.toDomain("reading the outbox of CA " + ca, e);
        }
    }

    @Override
    public List<String> cas() {
        try {
            return ldap.search(names.syncOutbox().toString(), SearchScope.ONE,
                    Filter.createEqualityFilter("objectClass", OC_OUTBOX), "cn").getSearchEntries().stream()
                    .map(e -> e.getAttributeValue("cn")).sorted().toList();
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                return List.of();
            }
            throw LdapErrors.toDomain("listing the sync outboxes", e);
        }
    }

    @Override
    public long fannedOut(String ca) {
        try {
            SearchResultEntry e = ldap.getEntry(names.syncOutbox(ca).toString(), AT_FANNED_OUT);
            Long value = e == null ? null : e.getAttributeValueAsLong(AT_FANNED_OUT);
            return value == null ? 0 : value;
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("reading the fan-out position of CA " + ca, e);
        }
    }

    @Override
    public void markFannedOut(String ca, long caSequence) {
        try {
            ldap.modify(names.syncOutbox(ca).toString(),
                    new Modification(ModificationType.REPLACE, AT_FANNED_OUT, Long.toString(caSequence)));
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("recording the fan-out position of CA " + ca, e);
        }
    }

    /**
     * Deletes in batches of {@value #PURGE_BATCH}; each batch is one search and its deletes. Never
     * the highest event above the CA's counter (the counter trails by up to {@value #COUNTER_LAG},
     * or an {@link #append} died before raising it): the next number is taken from that event, so
     * it is never reused.
     */
    @Override
    public int purge(String ca, long throughSequence, Instant before) {
        int purged = 0;
        try {
            Appended appended = lastAppended(ca);
            // The highest event above the counter names the next number: it stays.
            long through = Math.min(throughSequence, Math.max(appended.counter(), appended.last() - 1));
            if (through <= 0) {
                return 0;
            }
            Filter old = Filter.createANDFilter(Filter.createEqualityFilter("objectClass", OC_EVENT),
                    Filter.createLessOrEqualFilter(AT_SEQUENCE, Long.toString(through)),
                    Filter.createLessOrEqualFilter("egovCreatedAt", LdapValues.time(before)));
            while (true) {
                SearchRequest request = new SearchRequest(names.syncOutbox(ca).toString(), SearchScope.ONE, old,
                        AT_SEQUENCE, "egovCreatedAt");
                request.setSizeLimit(PURGE_BATCH);
                List<SearchResultEntry> batch;
                try {
                    batch = ldap.search(request).getSearchEntries();
                } catch (com.unboundid.ldap.sdk.LDAPSearchException e) {
                    if (e.getResultCode() != ResultCode.SIZE_LIMIT_EXCEEDED) {
                        throw e;
                    }
                    batch = e.getSearchEntries();
                }
                int deleted = 0;
                for (SearchResultEntry e : batch) {
                    Instant created = LdapValues.time(e, "egovCreatedAt");
                    // The filter compares at second precision: keep the equal second, as SyncStore does.
                    if (created != null && created.isBefore(before)) {
                        deleteIfGone(e.getDN());
                        deleted++;
                    }
                }
                purged += deleted;
                if (batch.size() < PURGE_BATCH || deleted == 0) {
                    return purged;
                }
            }
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                return purged;
            }
            throw LdapErrors.toDomain("purging the outbox of CA " + ca, e);
        }
    }

    private void deleteIfGone(String dn) throws LDAPException {
        try {
            ldap.delete(dn);
        } catch (LDAPException e) {
            if (e.getResultCode() != ResultCode.NO_SUCH_OBJECT) {
                throw e;
            }
        }
    }

    // ------------------------------------------------------------------ markers

    @Override
    public List<Owed> owed(int limit) {
        List<Owed> owed = new ArrayList<>();
        try {
            SearchRequest certificates = new SearchRequest(names.container(DirectoryLayout.Container.CERTIFICATES)
                    .toString(), SearchScope.ONE, Filter.createPresenceFilter(AT_OWED), "egovIssuerName",
                    "egovSerialNumber", AT_OWED);
            certificates.setSizeLimit(limit);
            for (SearchResultEntry e : searchTolerantOfSizeLimit(certificates)) {
                BigInteger serial = new BigInteger(e.getAttributeValue("egovSerialNumber"), 16);
                for (String marker : LdapValues.values(e, AT_OWED)) {
                    owed.add(new Owed(e.getAttributeValue("egovIssuerName"), serial, marker));
                }
            }
            if (owed.size() < limit) {
                SearchRequest cas = new SearchRequest(names.cas().toString(), SearchScope.SUB,
                        Filter.createPresenceFilter(AT_OWED), "cn", AT_OWED);
                cas.setSizeLimit(limit - owed.size());
                for (SearchResultEntry e : searchTolerantOfSizeLimit(cas)) {
                    DN dn = e.getParsedDN();
                    // cn=<ca>,ou=CAs or a partition cn=shard-<n>,cn=<ca>,ou=CAs: the marker names the shard.
                    String ca = dn.getParent().equals(names.cas()) ? e.getAttributeValue("cn")
                            : dn.getParent().getRDN().getAttributeValues()[0];
                    for (String marker : LdapValues.values(e, AT_OWED)) {
                        owed.add(new Owed(ca, null, marker));
                    }
                }
            }
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("looking for owed sync events", e);
        }
        return owed;
    }

    @Override
    public void discharge(Owed owed) {
        String dn = markedEntry(owed).toString();
        try {
            ldap.modify(dn, new Modification(ModificationType.DELETE, AT_OWED, owed.marker()));
        } catch (LDAPException e) {
            if (e.getResultCode() != ResultCode.NO_SUCH_ATTRIBUTE && e.getResultCode() != ResultCode.NO_SUCH_OBJECT) {
                throw LdapErrors.toDomain("removing sync marker " + owed.marker() + " from " + dn, e);
            }
        }
    }

    private DN markedEntry(Owed owed) {
        if (owed.certificate()) {
            return names.certificate(CertificateRecord.id(owed.ca(), owed.serial()));
        }
        String[] parts = owed.marker().split(":");
        return parts.length == 3 ? names.crlPartition(owed.ca(), Integer.parseInt(parts[1])) : names.ca(owed.ca());
    }

    // ------------------------------------------------------------------ helpers

    private List<SearchResultEntry> searchTolerantOfSizeLimit(SearchRequest request) throws LDAPException {
        try {
            return ldap.search(request).getSearchEntries();
        } catch (com.unboundid.ldap.sdk.LDAPSearchException e) {
            if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED) {
                return e.getSearchEntries();
            }
            throw e;
        }
    }

    private void ensureOutbox(String ca) throws LDAPException {
        if (outboxes.contains(ca)) {
            return;
        }
        addIfAbsent(new Entry(names.syncOutbox().toString(), new Attribute("objectClass", "top", "organizationalUnit"),
                new Attribute("ou", "outbox")));
        addIfAbsent(new Entry(names.syncOutbox(ca).toString(), new Attribute("objectClass", "top", OC_OUTBOX),
                new Attribute("cn", ca), new Attribute(AT_CA_SEQUENCE, "0"), new Attribute(AT_FANNED_OUT, "0")));
        outboxes.add(ca);
    }

    private void addIfAbsent(Entry entry) throws LDAPException {
        try {
            ldap.add(entry);
        } catch (LDAPException e) {
            if (e.getResultCode() != ResultCode.ENTRY_ALREADY_EXISTS) {
                throw e;
            }
        }
    }

    /**
     * The outbox events numbered {@code first} to {@code first + count - 1}, as equality terms: each
     * answered from the equality index on either directory, where slapd would answer a {@code >=}
     * or {@code <=} on the sequence by walking its index over every event and message beyond the
     * bound, of every CA and target.
     */
    private static Filter eventsNumbered(long first, int count) {
        List<Filter> sequences = new ArrayList<>(count);
        for (long sequence = first; sequence < first + count; sequence++) {
            sequences.add(Filter.createEqualityFilter(AT_SEQUENCE, Long.toString(sequence)));
        }
        return Filter.createANDFilter(Filter.createEqualityFilter("objectClass", OC_EVENT),
                Filter.createORFilter(sequences));
    }

    /**
     * The CA's counter and the highest sequence appended: the counter is raised only every
     * {@value #COUNTER_LAG} appends, so the events above it are looked up and the highest taken —
     * by their numbers, {@value #LOOK_ABOVE} at a time: one search, since an append raises the
     * counter once it is {@value #COUNTER_LAG} behind, so a crash between an event and the counter
     * leaves it at most that far behind (plus one per process appending at the same moment); the
     * next window is asked for only when the last number of one is taken. A search
     * {@code egovSyncSequence>=n} made slapd walk its index over every outbox event and sync message
     * numbered above n, of every CA and target.
     */
    private Appended lastAppended(String ca) throws LDAPException {
        SearchResultEntry outbox = ldap.getEntry(names.syncOutbox(ca).toString(), AT_CA_SEQUENCE);
        Long counter = outbox == null ? null : outbox.getAttributeValueAsLong(AT_CA_SEQUENCE);
        long floor = counter == null ? 0 : counter;
        long last = floor;
        long windowStart = floor;
        while (true) {
            for (SearchResultEntry e : ldap.search(names.syncOutbox(ca).toString(), SearchScope.ONE,
                    eventsNumbered(windowStart + 1, LOOK_ABOVE), AT_SEQUENCE).getSearchEntries()) {
                last = Math.max(last, e.getAttributeValueAsLong(AT_SEQUENCE));
            }
            if (last < windowStart + LOOK_ABOVE) {
                return new Appended(floor, last);
            }
            windowStart += LOOK_ABOVE;
        }
    }

    /**
     * A CA's outbox numbers: {@code counter}, the floor its entry holds, and {@code last}, the
     * highest sequence appended ({@code >= counter}).
     */
    private record Appended(long counter, long last) {
    }

    private static OutboxEvent toEvent(SearchResultEntry e) {
        return new OutboxEvent(e.getAttributeValueAsLong(AT_SEQUENCE), SyncEventJson.read(LdapValues.binary(e, AT_DATA)));
    }
}
