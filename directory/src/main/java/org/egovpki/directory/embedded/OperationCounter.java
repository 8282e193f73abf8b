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
import org.apache.directory.server.core.api.interceptor.context.BindOperationContext;
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
    private final Map<String, LongAdder> readsByKind = new ConcurrentHashMap<>();
    /** Kinds counted one by one (per map); further kinds are counted together as {@code "<operation> (other)"}. */
    private static final int MAX_KINDS = 200;

    OperationCounter() {
        super("egovPkiOperationCounter");
    }

    @Override
    public void add(AddOperationContext context) throws LdapException {
        adds.increment();
        countKind(writesByKind, "add", context.getDn(), "");
        next(context);
    }

    @Override
    public void modify(ModifyOperationContext context) throws LdapException {
        modifies.increment();
        countKind(writesByKind, "modify", context.getDn(), "");
        next(context);
    }

    @Override
    public void delete(DeleteOperationContext context) throws LdapException {
        deletes.increment();
        countKind(writesByKind, "delete", context.getDn(), "");
        next(context);
    }

    @Override
    public EntryFilteringCursor search(SearchOperationContext context) throws LdapException {
        searches.increment();
        countKind(readsByKind, "search " + context.getScope().getLdapUrlValue(), context.getDn(),
                context.getFilter() == null ? "" : " " + FILTER_VALUE.matcher(context.getFilter().toString()).replaceAll("=_)"));
        return next(context);
    }

    @Override
    public void bind(BindOperationContext context) throws LdapException {
        countKind(readsByKind, "bind", context.getDn(), "");
        next(context);
    }

    /** An assertion's value in a filter's text, replaced by {@code _} (a presence test stays {@code =*}) so a kind names attributes only. */
    private static final java.util.regex.Pattern FILTER_VALUE = java.util.regex.Pattern.compile("=(?!\\*\\))[^()]*\\)");

    /**
     * Counts an operation under the kind of entry it touched: the operation, the naming attribute of
     * the entry and the nearest {@code ou} above it ({@code "add egovSerialNumber ou=certificates"}),
     * and for a search its scope and its filter without values, so a benchmark can say which
     * entries an issuance writes and reads.
     */
    private static void countKind(Map<String, LongAdder> byKind, String operation, Dn dn, String detail) {
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
            String kind = operation + " " + dn.getRdn().getType() + container + detail;
            if (byKind.size() >= MAX_KINDS && !byKind.containsKey(kind)) {
                // Names of any department (ou=...) in the X.500 mirror must not grow the map without end.
                kind = operation + " (other)";
            }
            byKind.computeIfAbsent(kind, key -> new LongAdder()).increment();
        } catch (RuntimeException e) {
            // A count is never worth failing a write for.
        }
    }

    /** The writes so far by kind of entry (see {@link #countKind}), sorted by kind. */
    Map<String, Long> writesByKind() {
        return sorted(writesByKind);
    }

    /** The searches and binds so far by kind (see {@link #countKind}), sorted by kind. */
    Map<String, Long> readsByKind() {
        return sorted(readsByKind);
    }

    private static Map<String, Long> sorted(Map<String, LongAdder> byKind) {
        Map<String, Long> copy = new TreeMap<>();
        byKind.forEach((kind, count) -> copy.put(kind, count.sum()));
        return copy;
    }

    EmbeddedDirectory.OperationCounts snapshot() {
        return new EmbeddedDirectory.OperationCounts(adds.sum(), modifies.sum(), deletes.sum(), searches.sum());
    }
}
