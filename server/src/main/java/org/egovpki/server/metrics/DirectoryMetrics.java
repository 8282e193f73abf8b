package org.egovpki.server.metrics;

import com.unboundid.ldap.sdk.LDAPConnectionPool;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.egovpki.directory.DirectoryHealth;
import org.egovpki.directory.embedded.EmbeddedDirectory;

/**
 * The directory as the CA sees it: the operations the embedded directory served (from its
 * operation counter, all clients), the CA service account's connection pool (connections
 * available, checkouts and connection attempts that failed), and the health probe's result
 * ({@code egovpki_directory_up}: the same write-then-indexed-read round trip {@code /health} runs,
 * reused for five seconds, so scraping does not load the directory).
 */
public final class DirectoryMetrics implements MeterBinder {

    private final Supplier<EmbeddedDirectory.OperationCounts> operations;
    private final LDAPConnectionPool pool;
    private final String poolName;
    private final DirectoryHealth health;

    /**
     * @param operations the embedded directory's operation counts, or {@code null} with an external directory
     *                   (whose own monitoring counts its operations: OpenLDAP's cn=monitor)
     * @param pool       the CA service account's pool
     * @param health     the probe
     */
    public DirectoryMetrics(Supplier<EmbeddedDirectory.OperationCounts> operations, LDAPConnectionPool pool,
                            String poolName, DirectoryHealth health) {
        this.operations = operations;
        this.pool = Objects.requireNonNull(pool, "pool");
        this.poolName = Objects.requireNonNull(poolName, "poolName");
        this.health = Objects.requireNonNull(health, "health");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        if (operations != null) {
            operation(registry, "add", EmbeddedDirectory.OperationCounts::adds);
            operation(registry, "modify", EmbeddedDirectory.OperationCounts::modifies);
            operation(registry, "delete", EmbeddedDirectory.OperationCounts::deletes);
            operation(registry, "search", EmbeddedDirectory.OperationCounts::searches);
        }
        // Each meter's object is this binder, which ServerMetrics keeps (Micrometer holds it only weakly).
        Gauge.builder("egovpki_directory_pool_connections_available", this, m -> m.pool.getCurrentAvailableConnections())
                .description("Connections of the pool ready for use now").tag("pool", poolName).register(registry);
        Gauge.builder("egovpki_directory_pool_connections_max", this, m -> m.pool.getMaximumAvailableConnections())
                .description("Most connections the pool keeps").tag("pool", poolName).register(registry);
        FunctionCounter.builder("egovpki_directory_pool_checkouts", this,
                        m -> m.pool.getConnectionPoolStatistics().getNumSuccessfulCheckouts())
                .description("Connections taken from the pool for an operation").tag("pool", poolName)
                .register(registry);
        FunctionCounter.builder("egovpki_directory_pool_checkouts_failed", this,
                        m -> m.pool.getConnectionPoolStatistics().getNumFailedCheckouts())
                .description("Operations that could not get a working connection from the pool").tag("pool", poolName)
                .register(registry);
        FunctionCounter.builder("egovpki_directory_pool_connects_failed", this,
                        m -> m.pool.getConnectionPoolStatistics().getNumFailedConnectionAttempts())
                .description("Attempts of the pool to open and bind a connection that failed").tag("pool", poolName)
                .register(registry);
        Gauge.builder("egovpki_directory_up", this, m -> m.health.check().up() ? 1 : 0)
                .description("1 when the directory health probe (a write, then an indexed read) passed, else 0")
                .register(registry);
    }

    private void operation(MeterRegistry registry, String operation, ToLongFunction<EmbeddedDirectory.OperationCounts> count) {
        FunctionCounter.builder("egovpki_directory_operations", this, m -> count.applyAsLong(m.operations.get()))
                .description("Operations the embedded directory served (all clients), by operation")
                .tag("operation", operation)
                .register(registry);
    }
}
