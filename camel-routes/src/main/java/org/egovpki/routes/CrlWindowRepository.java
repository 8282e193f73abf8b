package org.egovpki.routes;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.spi.AggregationRepository;

/**
 * The after-revocation window's open groups (one per CA), kept across replacements of its route.
 * Camel's in-memory repository belongs to one route and is emptied when that route stops, so a
 * name that joined the window after {@link CrlTimings} closed it — on its way into the aggregator
 * at that moment — was dropped with the old route. This one is bound once in the context's registry
 * and is not a Camel service: the replacement route's aggregator finds such a name here and issues
 * its CRL when its own window closes.
 */
final class CrlWindowRepository implements AggregationRepository {

    /** The registry name the after-revocation route looks its repository up by. */
    static final String BEAN = "egovpkiCrlWindowRepository";

    private final ConcurrentMap<String, Exchange> groups = new ConcurrentHashMap<>();

    /** The context's repository, bound on first use. */
    static CrlWindowRepository of(CamelContext camel) {
        CrlWindowRepository existing = camel.getRegistry().lookupByNameAndType(BEAN, CrlWindowRepository.class);
        if (existing != null) {
            return existing;
        }
        CrlWindowRepository created = new CrlWindowRepository();
        camel.getRegistry().bind(BEAN, CrlWindowRepository.class, created);
        return created;
    }

    @Override
    public Exchange add(CamelContext camelContext, String key, Exchange exchange) {
        return groups.put(key, exchange);
    }

    @Override
    public Exchange get(CamelContext camelContext, String key) {
        return groups.get(key);
    }

    @Override
    public void remove(CamelContext camelContext, String key, Exchange exchange) {
        groups.remove(key);
    }

    @Override
    public void confirm(CamelContext camelContext, String exchangeId) {
        // Nothing to confirm: a completed group was removed when it completed.
    }

    @Override
    public Set<String> getKeys() {
        return Set.copyOf(groups.keySet());
    }
}
