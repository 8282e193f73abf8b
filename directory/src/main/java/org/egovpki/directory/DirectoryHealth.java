package org.egovpki.directory;

import com.unboundid.ldap.sdk.AddRequest;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ModifyRequest;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchScope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proves that the directory still reads and writes, the way the CA uses it: a modify of the
 * health entry ({@link DirectoryNames#healthEntry()}) with a fresh value, then an indexed search
 * that must find that value, each with a response timeout. A directory whose files are damaged
 * fails the write or the read even when it still accepts connections, which a bind or a read of
 * cached data would not show.
 *
 * <p>{@code /health} is anonymous, and a probe is a directory write that takes ApacheDS's
 * server-wide write lock: a result is reused for {@code reuse} (default 5 s), and concurrent
 * callers wait for the one probe in flight, so polling {@code /health} cannot load the directory.
 * Failure details go to the log; the result names only what failed.
 */
public final class DirectoryHealth {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryHealth.class);
    /** The default upper bound on each probe operation. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** The default time a result is reused. */
    public static final Duration DEFAULT_REUSE = Duration.ofSeconds(5);

    /** What a probe found. {@code problem} is a short phrase without directory internals, or null when up. */
    public record Result(boolean up, String problem, Instant checkedAt) {
    }

    private final LDAPInterface ldap;
    private final DN entry;
    private final Clock clock;
    private final Duration timeout;
    private final Duration reuse;
    private long probes;
    private Result last;

    public DirectoryHealth(LDAPInterface ldap, DirectoryNames names, Clock clock, Duration timeout, Duration reuse) {
        this.ldap = Objects.requireNonNull(ldap, "ldap");
        this.entry = names.healthEntry();
        this.clock = Objects.requireNonNull(clock, "clock");
        if (timeout.isNegative() || timeout.isZero() || reuse.isNegative()) {
            throw new IllegalArgumentException("the probe timeout must be positive and the reuse time not negative");
        }
        this.timeout = timeout;
        this.reuse = reuse;
    }

    /** The current state: the last result if it is younger than the reuse time, else a new probe. */
    public synchronized Result check() {
        Instant now = clock.instant();
        if (last == null || !now.isBefore(last.checkedAt().plus(reuse))) {
            last = probe(now);
        }
        return last;
    }

    /** A new probe now, whatever the last result's age (start-up uses this). */
    public synchronized Result probeNow() {
        last = probe(clock.instant());
        return last;
    }

    private Result probe(Instant now) {
        String token = now + "#" + (++probes);
        try {
            write(token);
        } catch (LDAPException e) {
            if (e.getResultCode() != ResultCode.NO_SUCH_OBJECT) {
                return down(now, "a write to the directory failed", e);
            }
            try {
                create();
                write(token);
            } catch (LDAPException again) {
                return down(now, "a write to the directory failed", again);
            }
        }
        try {
            SearchRequest read = new SearchRequest(entry.getParent().toString(), SearchScope.ONE,
                    Filter.createANDFilter(Filter.createEqualityFilter("cn", entry.getRDN().getAttributeValues()[0]),
                            Filter.createEqualityFilter("description", token)), "description");
            read.setResponseTimeoutMillis(timeout.toMillis());
            read.setSizeLimit(2);
            SearchResult found = ldap.search(read);
            if (found.getEntryCount() != 1) {
                LOG.error("Directory health probe: the value just written to {} was not found by an indexed search "
                        + "({} entries): the directory's indices and entries disagree", entry, found.getEntryCount());
                return new Result(false, "a read from the directory returned stale data", now);
            }
        } catch (LDAPException e) {
            return down(now, "a read from the directory failed", e);
        }
        return new Result(true, null, now);
    }

    private void write(String token) throws LDAPException {
        ModifyRequest write = new ModifyRequest(entry, new Modification(ModificationType.REPLACE, "description", token));
        write.setResponseTimeoutMillis(timeout.toMillis());
        ldap.modify(write);
    }

    private void create() throws LDAPException {
        AddRequest add = new AddRequest(entry, new Attribute("objectClass", "top", "applicationProcess"),
                new Attribute("cn", entry.getRDN().getAttributeValues()[0]),
                new Attribute("description", "egov-pki health probe"));
        add.setResponseTimeoutMillis(timeout.toMillis());
        try {
            ldap.add(add);
        } catch (LDAPException e) {
            if (e.getResultCode() != ResultCode.ENTRY_ALREADY_EXISTS) {
                throw e;
            }
        }
    }

    private Result down(Instant now, String problem, LDAPException e) {
        boolean timedOut = e.getResultCode() == ResultCode.TIMEOUT;
        LOG.error("Directory health probe: {}: {} {}. If this persists after a restart, check the directory as "
                + "docs/directory.md#crash-behaviour-and-repair says", problem, e.getResultCode().getName(),
                e.getDiagnosticMessage() == null ? "" : e.getDiagnosticMessage());
        return new Result(false, timedOut ? problem + " (no answer within " + timeout.toSeconds() + " s)" : problem, now);
    }
}
