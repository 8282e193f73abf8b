package org.egovpki.directory.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.LDAPConnection;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.egovpki.directory.LockoutPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without sync on write, writes stay in the data partition's transaction log until the periodic
 * sync copies them into the database file and truncates the log; with sync on write the log is
 * empty after every write. Either way the entries are there after a restart.
 */
class PeriodicSyncIT {

    private static final String BASE = "o=egov-pki,c=CN";
    private static final String PASSWORD = "Admin-pass-1";

    @TempDir
    Path tmp;

    @Test
    void withoutSyncOnWriteThePeriodicSyncTruncatesTheLog() throws Exception {
        EmbeddedDirectorySettings.Durability periodic = new EmbeddedDirectorySettings.Durability(false,
                Duration.ofSeconds(5), 64L << 20);
        try (EmbeddedDirectory directory = EmbeddedDirectory.start(settings(periodic), event -> 1)) {
            directory.syncPartitions(); // the start-up's own writes
            assertThat(directory.dataLogLength()).isEqualTo(EmbeddedDirectory.emptyLogLength());
            add(directory, 0, 5);
            assertThat(directory.dataLogLength()).as("the writes wait in the log")
                    .isGreaterThan(EmbeddedDirectory.emptyLogLength());

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(
                    () -> directory.dataLogLength() == EmbeddedDirectory.emptyLogLength());
        }
        try (EmbeddedDirectory directory = EmbeddedDirectory.start(settings(EmbeddedDirectorySettings.Durability
                .SYNC_ON_WRITE), event -> 1)) {
            assertThat(entries(directory)).isEqualTo(5);
        }
    }

    @Test
    void aLogPastItsBoundIsSyncedBeforeThePeriodEnds() throws Exception {
        EmbeddedDirectorySettings.Durability bounded = new EmbeddedDirectorySettings.Durability(false,
                Duration.ofHours(1), 1);
        try (EmbeddedDirectory directory = EmbeddedDirectory.start(settings(bounded), event -> 1)) {
            add(directory, 0, 3);

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(
                    () -> directory.dataLogLength() == EmbeddedDirectory.emptyLogLength());
            assertThat(entries(directory)).isEqualTo(3);
        }
    }

    @Test
    void withSyncOnWriteTheLogIsEmptyAfterEveryWrite() throws Exception {
        try (EmbeddedDirectory directory = EmbeddedDirectory.start(settings(EmbeddedDirectorySettings.Durability
                .SYNC_ON_WRITE), event -> 1)) {
            add(directory, 0, 3);

            assertThat(directory.dataLogLength()).isEqualTo(EmbeddedDirectory.emptyLogLength());
        }
    }

    private EmbeddedDirectorySettings settings(EmbeddedDirectorySettings.Durability durability) {
        return EmbeddedDirectorySettings.forEgovPki(tmp.resolve("directory"), "127.0.0.1", 0, BASE,
                PASSWORD.toCharArray(), LockoutPolicy.DEFAULT, Clock.systemUTC()).withDurability(durability);
    }

    private static void add(EmbeddedDirectory directory, int from, int to) throws Exception {
        try (LDAPConnection admin = new LDAPConnection("127.0.0.1", directory.port(), EmbeddedDirectory.adminDn(),
                PASSWORD)) {
            for (int i = from; i < to; i++) {
                admin.add("ou=sync-" + i + "," + BASE, new Attribute("objectClass", "top", "organizationalUnit"),
                        new Attribute("ou", "sync-" + i), new Attribute("description", "x".repeat(2000)));
            }
        }
    }

    private static int entries(EmbeddedDirectory directory) throws Exception {
        try (LDAPConnection admin = new LDAPConnection("127.0.0.1", directory.port(), EmbeddedDirectory.adminDn(),
                PASSWORD)) {
            return admin.search(BASE, com.unboundid.ldap.sdk.SearchScope.ONE, "(ou=sync-*)", "1.1").getEntryCount();
        }
    }
}
