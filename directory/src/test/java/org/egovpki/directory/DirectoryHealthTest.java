package org.egovpki.directory;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedModifyRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchEntry;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The health probe against a directory made to fail in each way a damaged ApacheDS fails: writes
 * refused with JDBM's errors, reads refused, an index that no longer finds what was written, and
 * no answer at all.
 */
class DirectoryHealthTest {

    private static final String BASE = "o=egov-pki,c=CN";
    private static final String JDBM_ERROR = "ERR_554 double get for block 0";

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T00:00:00Z"));
    private final Failures failures = new Failures();
    private InMemoryDirectoryServer server;

    @AfterEach
    void stop() {
        failures.release.countDown();
        if (server != null) {
            server.shutDown(true);
        }
    }

    @Test
    void aDirectoryThatWritesAndReadsIsUpAndTheHealthEntryIsCreatedOnFirstUse() throws Exception {
        DirectoryHealth health = health(Duration.ofSeconds(5));

        DirectoryHealth.Result result = health.check();

        assertThat(result.up()).isTrue();
        assertThat(result.problem()).isNull();
        assertThat(server.getEntry("cn=egov-pki-health,ou=sync," + BASE)).isNotNull();
    }

    @Test
    void aResultIsReusedForTheReuseTimeSoPollingCannotLoadTheDirectory() throws Exception {
        DirectoryHealth health = health(Duration.ofSeconds(5));
        health.check();
        int writes = failures.modifies.get();

        health.check();
        clock.advance(Duration.ofSeconds(4));
        health.check();
        assertThat(failures.modifies.get()).as("writes within the reuse time").isEqualTo(writes);

        clock.advance(Duration.ofSeconds(1));
        health.check();
        assertThat(failures.modifies.get()).as("a new probe after it").isEqualTo(writes + 1);
    }

    @Test
    void refusedWritesAreDownWithoutTheDirectorysOwnMessage() throws Exception {
        DirectoryHealth health = health(Duration.ofSeconds(5));
        failures.failModifies = true;

        DirectoryHealth.Result result = health.check();

        assertThat(result.up()).isFalse();
        assertThat(result.problem()).isEqualTo("a write to the directory failed").doesNotContain("ERR_");
    }

    @Test
    void refusedReadsAreDown() throws Exception {
        DirectoryHealth health = health(Duration.ofSeconds(5));
        failures.failSearches = true;

        assertThat(health.check()).extracting(DirectoryHealth.Result::up, DirectoryHealth.Result::problem)
                .containsExactly(false, "a read from the directory failed");
    }

    @Test
    void aWriteTheIndexedSearchDoesNotFindIsDown() throws Exception {
        DirectoryHealth health = health(Duration.ofSeconds(5));
        failures.hideEntries = true;

        assertThat(health.check()).extracting(DirectoryHealth.Result::up, DirectoryHealth.Result::problem)
                .containsExactly(false, "a read from the directory returned stale data");
    }

    @Test
    void aDirectoryThatDoesNotAnswerIsDownWithinTheTimeout() throws Exception {
        DirectoryHealth health = health(Duration.ofMillis(300));
        health.check();
        clock.advance(Duration.ofSeconds(10));
        failures.hangModifies = true;

        long started = System.nanoTime();
        DirectoryHealth.Result result = health.check();

        assertThat(result.up()).isFalse();
        assertThat(result.problem()).startsWith("a write to the directory failed").contains("no answer within");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aStoppedDirectoryIsDown() throws Exception {
        DirectoryHealth health = health(Duration.ofSeconds(2));
        assertThat(health.check().up()).isTrue();
        server.shutDown(true);
        clock.advance(Duration.ofSeconds(10));

        assertThat(health.check().up()).isFalse();
    }

    private DirectoryHealth health(Duration timeout) throws Exception {
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
        config.addInMemoryOperationInterceptor(failures);
        server = new InMemoryDirectoryServer(config);
        server.add("dn: " + BASE, "objectClass: top", "objectClass: organization", "o: egov-pki");
        server.add("dn: ou=sync," + BASE, "objectClass: top", "objectClass: organizationalUnit", "ou: sync");
        server.startListening();
        return new DirectoryHealth(server.getConnectionPool(2), new DirectoryNames(BASE), clock, timeout,
                DirectoryHealth.DEFAULT_REUSE);
    }

    /** Makes the in-memory directory fail the way a damaged one does. */
    private static final class Failures extends InMemoryOperationInterceptor {
        final AtomicInteger modifies = new AtomicInteger();
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean failModifies;
        volatile boolean failSearches;
        volatile boolean hideEntries;
        volatile boolean hangModifies;

        @Override
        public void processModifyRequest(InMemoryInterceptedModifyRequest request) throws LDAPException {
            modifies.incrementAndGet();
            if (failModifies) {
                throw new LDAPException(ResultCode.OTHER, JDBM_ERROR);
            }
            if (hangModifies) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void processSearchRequest(InMemoryInterceptedSearchRequest request) throws LDAPException {
            if (failSearches) {
                throw new LDAPException(ResultCode.OTHER, JDBM_ERROR);
            }
        }

        @Override
        public void processSearchEntry(InMemoryInterceptedSearchEntry entry) {
            if (hideEntries) {
                entry.setSearchEntry(null);
            }
        }
    }

    /** A clock the test moves by hand. */
    private static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
