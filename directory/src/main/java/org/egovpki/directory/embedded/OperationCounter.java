package org.egovpki.directory.embedded;

import java.util.concurrent.atomic.LongAdder;
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

    OperationCounter() {
        super("egovPkiOperationCounter");
    }

    @Override
    public void add(AddOperationContext context) throws LdapException {
        adds.increment();
        next(context);
    }

    @Override
    public void modify(ModifyOperationContext context) throws LdapException {
        modifies.increment();
        next(context);
    }

    @Override
    public void delete(DeleteOperationContext context) throws LdapException {
        deletes.increment();
        next(context);
    }

    @Override
    public EntryFilteringCursor search(SearchOperationContext context) throws LdapException {
        searches.increment();
        return next(context);
    }

    EmbeddedDirectory.OperationCounts snapshot() {
        return new EmbeddedDirectory.OperationCounts(adds.sum(), modifies.sum(), deletes.sum(), searches.sum());
    }
}
