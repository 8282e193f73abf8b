package org.egovpki.directory.embedded;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.api.ldap.model.name.Rdn;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.server.core.api.filtering.EntryFilteringCursor;
import org.apache.directory.server.core.api.interceptor.BaseInterceptor;
import org.apache.directory.server.core.api.interceptor.context.AddOperationContext;
import org.apache.directory.server.core.api.interceptor.context.DeleteOperationContext;
import org.apache.directory.server.core.api.interceptor.context.ModifyOperationContext;
import org.apache.directory.server.core.api.interceptor.context.SearchOperationContext;

/**
 * Counts the operations that reach the embedded directory, first in the interceptor chain, so
 * the benchmarks can report what one issuance costs the directory. Counting is a few
 * nanoseconds; it is always on.
 */
final class OperationCounter extends BaseInterceptor {

    private final LongAdder adds = new LongAdder();
    private final LongAdder modifies = new LongAdder();
    private final LongAdder deletes = new LongAdder();
    private final LongAdder searches = new LongAdder();
    private final Map<String, LongAdder> writesByKind = new ConcurrentHashMap<>();
    /** Kinds counted one by one; writes of further kinds are counted together as {@code "<operation> (other)"}. */
    private static final int MAX_KINDS = 200;

    OperationCounter() {
        super("egovPkiOperationCounter");
    }

    @Override
    public void add(AddOperationContext context) throws LdapException {
        adds.increment();
        countKind("add", context.getDn());
        next(context);
    }

    @Override
    public void modify(ModifyOperationContext context) throws LdapException {
        modifies.increment();
        countKind("modify", context.getDn());
        next(context);
    }

    @Override
    public void delete(DeleteOperationContext context) throws LdapException {
        deletes.increment();
        countKind("delete", context.getDn());
        next(context);
    }

    @Override
    public EntryFilteringCursor search(SearchOperationContext context) throws LdapException {
        searches.increment();
        return next(context);
    }

    /**
     * Counts a write under the kind of entry it touched: the operation, the naming attribute of the
     * entry and the nearest {@code ou} above it ({@code "add egovSerialNumber ou=certificates"}), so
     * a benchmark can say which entries an issuance writes.
     */
    private void countKind(String operation, Dn dn) {
        if (dn == null || dn.isEmpty()) {
            return;
        }
        try {
            String container = "";
            for (Rdn rdn : dn.getParent().getRdns()) {
                if ("ou".equalsIgnoreCase(rdn.getNormType()) || "2.5.4.11".equals(rdn.getNormType())) {
                    container = " ou=" + rdn.getValue();
                    break;
                }
            }
            String kind = operation + " " + dn.getRdn().getType() + container;
            if (writesByKind.size() >= MAX_KINDS && !writesByKind.containsKey(kind)) {
                // Names of any department (ou=...) in the X.500 mirror must not grow the map without end.
                kind = operation + " (other)";
            }
            writesByKind.computeIfAbsent(kind, key -> new LongAdder()).increment();
        } catch (RuntimeException e) {
            // A count is never worth failing a write for.
        }
    }

    /** The writes so far by kind of entry (see {@link #countKind}), sorted by kind. */
    Map<String, Long> writesByKind() {
        Map<String, Long> copy = new TreeMap<>();
        writesByKind.forEach((kind, count) -> copy.put(kind, count.sum()));
        return copy;
    }

    EmbeddedDirectory.OperationCounts snapshot() {
        return new EmbeddedDirectory.OperationCounts(adds.sum(), modifies.sum(), deletes.sum(), searches.sum());
    }
}
