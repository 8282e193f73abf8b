package org.egovpki.directory.embedded;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.apache.directory.api.ldap.model.cursor.CursorException;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.exception.LdapNoSuchObjectException;
import org.apache.directory.api.ldap.model.exception.LdapOtherException;
import org.apache.directory.api.ldap.model.filter.BranchNode;
import org.apache.directory.api.ldap.model.filter.ExprNode;
import org.apache.directory.api.ldap.model.filter.LeafNode;
import org.apache.directory.api.ldap.model.filter.NotNode;
import org.apache.directory.api.ldap.model.filter.PresenceNode;
import org.apache.directory.api.ldap.model.message.SearchScope;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.api.ldap.model.schema.AttributeType;
import org.apache.directory.api.ldap.model.schema.SchemaManager;
import org.apache.directory.server.core.api.CoreSession;
import org.apache.directory.server.core.api.DirectoryService;
import org.apache.directory.server.core.api.entry.ClonedServerEntry;
import org.apache.directory.server.core.api.filtering.EntryFilter;
import org.apache.directory.server.core.api.filtering.EntryFilteringCursor;
import org.apache.directory.server.core.api.interceptor.BaseInterceptor;
import org.apache.directory.server.core.api.interceptor.context.AddOperationContext;
import org.apache.directory.server.core.api.interceptor.context.CompareOperationContext;
import org.apache.directory.server.core.api.interceptor.context.DeleteOperationContext;
import org.apache.directory.server.core.api.interceptor.context.ModifyOperationContext;
import org.apache.directory.server.core.api.interceptor.context.MoveAndRenameOperationContext;
import org.apache.directory.server.core.api.interceptor.context.MoveOperationContext;
import org.apache.directory.server.core.api.interceptor.context.OperationContext;
import org.apache.directory.server.core.api.interceptor.context.RenameOperationContext;
import org.apache.directory.server.core.api.interceptor.context.SearchOperationContext;
import org.apache.directory.server.core.api.partition.Partition;
import org.apache.directory.server.core.api.partition.PartitionTxn;
import org.apache.directory.server.core.api.OperationEnum;
import org.apache.directory.server.core.api.LdapPrincipal;

/**
 * Makes entries a client may not see indistinguishable from entries that do not exist — the X.500
 * rule that without {@code DiscloseOnError} an error must not reveal an entry's existence.
 * ApacheDS parses {@code grantDiscloseOnError} but never evaluates it: a base search for a hidden
 * entry answers success with no entries where an absent one answers {@code noSuchObject}, and a
 * compare or modify answers {@code insufficientAccessRights}. So an anonymous client could probe
 * for operators, request ids, registrations, certificate records and service accounts.
 *
 * <p>The guard sits before ApacheDS's access control interceptor and asks that interceptor itself
 * whether the session may see the target (a base search as the same session, run through the rest
 * of the chain), so the policy stays in one place, the access control subentries. When it may not,
 * the operation fails exactly as for an absent entry: same result code, no matched DN and the same
 * diagnostic text ApacheDS writes for a missing entry. For every session but the directory
 * administrator it also removes subordinate counts ({@code nbChildren}, {@code nbSubordinates}),
 * which ApacheDS computes over all children whatever the reader may see; and for anonymous readers
 * an entry matches a filter only through attributes the reader may read on it (ApacheDS evaluates
 * filters on hidden attributes). A filter item on an attribute the entry does not show them never
 * helps it match, not even under a NOT, so presence and absence of hidden attributes look alike.
 *
 * <p>The probe is a nested search per operation. It is skipped where its answer is known: for the
 * server's own service accounts inside the part of the tree the policy lets them see whole
 * ({@link ApacheDsAccessControl#fullView}), the probe could only find the entry visible, so the
 * operation goes straight on and an absent entry fails as ApacheDS reports it (the same result
 * code). Everywhere else, and for every other session, the probe runs.
 */
final class DisclosureGuard extends BaseInterceptor {

    static final String NAME = "egovPkiDisclosureGuard";

    /** ApacheDS's own texts for a missing entry, so a hidden entry reads exactly like an absent one. */
    private static final String SEARCH_BASE_MISSING = "ERR_648 Invalid search base ";
    private static final String ENTRY_MISSING = "Attempt to lookup non-existant entry: ";

    private static final List<String> COUNTERS = List.of("nbChildren", "nbSubordinates", "numSubordinates",
            "hasSubordinates");

    private final String suffixName;
    private final Map<String, Set<String>> fullViewNames;
    /** Normalised service account DN → the containers it sees everything in (schema-aware). */
    private final Map<String, List<Dn>> fullView = new HashMap<>();
    private final LongAdder probes = new LongAdder();
    private Dn suffix;
    private ExprNode everything;
    private AttributeType objectClass;
    private final List<AttributeType> counters = new ArrayList<>();

    /**
     * @param suffixName the data partition's suffix, whose entries below it are guarded
     * @param fullView   service account DN → DNs of the containers it may see everything in
     *                   ({@link ApacheDsAccessControl#fullView}); an empty map probes for everyone
     */
    DisclosureGuard(String suffixName, Map<String, Set<String>> fullView) {
        super(NAME);
        this.suffixName = Objects.requireNonNull(suffixName, "suffixName");
        this.fullViewNames = Map.copyOf(fullView);
    }

    /** How many visibility probes (nested base searches) ran since start, for tests and benchmarks. */
    long probes() {
        return probes.sum();
    }

    @Override
    public void init(DirectoryService directoryService) throws LdapException {
        super.init(directoryService);
        SchemaManager schema = directoryService.getSchemaManager();
        suffix = new Dn(schema, suffixName);
        objectClass = schema.lookupAttributeTypeRegistry("objectClass");
        everything = new PresenceNode(objectClass);
        for (Map.Entry<String, Set<String>> account : fullViewNames.entrySet()) {
            List<Dn> containers = new ArrayList<>();
            for (String container : account.getValue()) {
                Dn dn = new Dn(schema, container);
                if (!guarded(dn)) {
                    throw new IllegalArgumentException("a full view must be below " + suffixName + ", not " + container);
                }
                containers.add(dn);
            }
            fullView.put(new Dn(schema, account.getKey()).getNormName(), List.copyOf(containers));
        }
        for (String counter : COUNTERS) {
            if (schema.getAttributeTypeRegistry().contains(counter)) {
                counters.add(schema.lookupAttributeTypeRegistry(counter));
            }
        }
    }

    @Override
    public EntryFilteringCursor search(SearchOperationContext context) throws LdapException {
        CoreSession session = context.getSession();
        if (session.isAnAdministrator()) {
            return next(context);
        }
        Dn base = context.getDn();
        if (guarded(base) && !visible(context, base)) {
            throw new LdapNoSuchObjectException(SEARCH_BASE_MISSING + base.getName());
        }
        EntryFilteringCursor cursor = next(context);
        cursor.addEntryFilter(new DisclosureFilter(session.isAnonymous()));
        return cursor;
    }

    @Override
    public boolean compare(CompareOperationContext context) throws LdapException {
        hideIfInvisible(context, context.getDn());
        return next(context);
    }

    @Override
    public void modify(ModifyOperationContext context) throws LdapException {
        hideIfInvisible(context, context.getDn());
        next(context);
    }

    @Override
    public void delete(DeleteOperationContext context) throws LdapException {
        hideIfInvisible(context, context.getDn());
        next(context);
    }

    @Override
    public void rename(RenameOperationContext context) throws LdapException {
        hideIfInvisible(context, context.getDn());
        next(context);
    }

    @Override
    public void move(MoveOperationContext context) throws LdapException {
        hideIfInvisible(context, context.getDn());
        hideIfInvisible(context, context.getNewSuperior());
        next(context);
    }

    @Override
    public void moveAndRename(MoveAndRenameOperationContext context) throws LdapException {
        hideIfInvisible(context, context.getDn());
        hideIfInvisible(context, context.getNewSuperiorDn());
        next(context);
    }

    @Override
    public void add(AddOperationContext context) throws LdapException {
        hideIfInvisible(context, context.getDn().getParent());
        next(context);
    }

    private void hideIfInvisible(OperationContext context, Dn dn) throws LdapException {
        if (dn == null || context.getSession().isAnAdministrator() || !guarded(dn)) {
            return;
        }
        if (!visible(context, dn)) {
            throw new LdapNoSuchObjectException(ENTRY_MISSING + dn.getName());
        }
    }

    /** Whether the session may see {@code dn} (a guarded DN): known for a service account in its full view, else probed. */
    private boolean visible(OperationContext context, Dn dn) throws LdapException {
        return seesEverythingAt(context.getSession(), dn) || seenAs(context, dn) != null;
    }

    private boolean seesEverythingAt(CoreSession session, Dn dn) throws LdapException {
        if (session.isAnonymous()) {
            return false;
        }
        LdapPrincipal principal = session.getEffectivePrincipal();
        if (principal == null || principal.getDn() == null || principal.getDn().isEmpty()) {
            return false;
        }
        Dn name = principal.getDn().isSchemaAware() ? principal.getDn() : new Dn(schemaManager, principal.getDn());
        List<Dn> containers = fullView.get(name.getNormName());
        if (containers == null) {
            return false;
        }
        Dn target = dn.isSchemaAware() ? dn : new Dn(schemaManager, dn);
        for (Dn container : containers) {
            if (target.isDescendantOf(container)) {
                return true;
            }
        }
        return false;
    }

    /** Entries strictly below our suffix; the suffix is public, and other partitions are ApacheDS's. */
    private boolean guarded(Dn dn) {
        return dn.isDescendantOf(suffix) && !dn.equals(suffix);
    }

    /**
     * The entry as a base search by this session would return it — through the rest of the chain,
     * so ApacheDS's access control decides — with the given attributes; {@code null} if the session
     * may not see it or it does not exist.
     */
    private Entry seenAs(OperationContext context, Dn dn, String... attributes) throws LdapException {
        probes.increment();
        Dn schemaAware = dn.isSchemaAware() ? dn : new Dn(schemaManager, dn);
        SearchOperationContext probe = new SearchOperationContext(context.getSession(), schemaAware,
                SearchScope.OBJECT, everything, attributes.length == 0 ? new String[] {"1.1"} : attributes);
        probe.setCurrentInterceptor(directoryService.getInterceptors(OperationEnum.SEARCH).indexOf(getName()) + 1);
        Partition partition = context.getPartition();
        PartitionTxn transaction = context.getTransaction();
        if (partition == null || transaction == null) {
            partition = directoryService.getPartitionNexus().getPartition(schemaAware);
            try (PartitionTxn read = partition.beginReadTransaction()) {
                return firstOf(probe, partition, read);
            } catch (IOException e) {
                throw new LdapOtherException(e.getMessage(), e);
            }
        }
        return firstOf(probe, partition, transaction);
    }

    private Entry firstOf(SearchOperationContext probe, Partition partition, PartitionTxn transaction)
            throws LdapException {
        probe.setPartition(partition);
        probe.setTransaction(transaction);
        try (EntryFilteringCursor cursor = next(probe)) {
            cursor.beforeFirst();
            return cursor.next() ? cursor.get() : null;
        } catch (LdapNoSuchObjectException e) {
            return null;
        } catch (IOException | CursorException e) {
            throw new LdapOtherException(e.getMessage(), e);
        }
    }

    /** Runs after ApacheDS's own authorisation filter, on each entry it lets through. */
    private final class DisclosureFilter implements EntryFilter {

        private final boolean anonymous;

        DisclosureFilter(boolean anonymous) {
            this.anonymous = anonymous;
        }

        @Override
        public boolean accept(SearchOperationContext context, Entry entry) throws LdapException {
            for (AttributeType counter : counters) {
                entry.removeAttributes(counter);
            }
            return !anonymous || matchesOnlyThroughReadableAttributes(context, entry);
        }

        private boolean matchesOnlyThroughReadableAttributes(SearchOperationContext context, Entry entry)
                throws LdapException {
            Set<AttributeType> referenced = new HashSet<>();
            Set<AttributeType> negated = new HashSet<>();
            collect(context.getFilter(), false, referenced, negated);
            referenced.remove(objectClass);
            negated.remove(objectClass);
            if (referenced.isEmpty()) {
                return true;
            }
            Entry original = entry instanceof ClonedServerEntry cloned ? cloned.getOriginalEntry() : entry;
            List<AttributeType> present = new ArrayList<>();
            for (AttributeType type : referenced) {
                if (original.containsAttribute(type)) {
                    present.add(type);
                } else if (negated.contains(type)) {
                    return false;
                }
            }
            if (present.isEmpty()) {
                return true;
            }
            Entry seen = seenAs(context, original.getDn(), present.stream().map(AttributeType::getOid)
                    .toArray(String[]::new));
            if (seen == null) {
                return false;
            }
            for (AttributeType type : present) {
                Attribute visible = seen.get(type);
                if (visible == null || visible.size() < original.get(type).size()) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString(String tabs) {
            return tabs + "DisclosureFilter";
        }
    }

    private static void collect(ExprNode node, boolean underNot, Set<AttributeType> referenced,
                                Set<AttributeType> negated) {
        if (node instanceof LeafNode leaf && leaf.getAttributeType() != null) {
            referenced.add(leaf.getAttributeType());
            if (underNot) {
                negated.add(leaf.getAttributeType());
            }
        } else if (node instanceof BranchNode branch) {
            boolean not = underNot || branch instanceof NotNode;
            for (ExprNode child : branch.getChildren()) {
                collect(child, not, referenced, negated);
            }
        }
    }
}
