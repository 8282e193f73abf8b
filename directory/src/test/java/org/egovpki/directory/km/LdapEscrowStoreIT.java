package org.egovpki.directory.km;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.SearchResultEntry;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.egovpki.core.DomainException;
import org.egovpki.core.km.centre.EscrowedKey;
import org.egovpki.core.km.centre.KeyState;
import org.egovpki.directory.TestDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The escrow store against the real embedded directory, bound as the KM's own account. */
class LdapEscrowStoreIT {

    private static final Instant NOW = Instant.parse("2026-11-21T08:00:00Z");
    /** Retention of every key but those of the destruction test: never due in these tests. */
    private static final Instant FAR = NOW.plus(Duration.ofDays(3650));

    @TempDir
    static Path work;

    private static TestDirectory directory;
    private static LDAPConnection km;
    private static LdapEscrowStore store;

    @BeforeAll
    static void start() throws Exception {
        directory = TestDirectory.start(work);
        km = directory.km();
        store = new LdapEscrowStore(directory.kmPool(4), directory.names());
    }

    @AfterAll
    static void stop() {
        if (directory != null) {
            directory.close();
        }
    }

    @Test
    void everyFieldComesBackAsWritten() {
        EscrowedKey full = new EscrowedKey("k-full", "sm2-issuing", new BigInteger("5a71b201d2e5b678", 16),
                "egovSubscriberId=p-1,ou=subscribers,o=egov-pki,c=CN", bytes(91, 1), bytes(48, 2), "SM4-GCM",
                "kek-2025-01", NOW.minusMillis(1_234), FAR, KeyState.ACTIVE, null);
        EscrowedKey sparse = new EscrowedKey("k-sparse", "sm2-issuing", BigInteger.ONE, null, bytes(91, 3),
                null, null, null, NOW, FAR, KeyState.DESTROYED, NOW.plusMillis(7));

        assertThat(store.add(full)).isTrue();
        assertThat(store.add(sparse)).isTrue();

        assertThat(store.find("k-full")).get().usingRecursiveComparison().isEqualTo(full);
        assertThat(store.find("k-sparse")).get().usingRecursiveComparison().isEqualTo(sparse);
        assertThat(store.findByCertificate("sm2-issuing", new BigInteger("5a71b201d2e5b678", 16))).get()
                .usingRecursiveComparison().isEqualTo(full);
        assertThat(store.findByCertificate("sm2-other", new BigInteger("5a71b201d2e5b678", 16))).isEmpty();
        assertThat(store.findByCertificate("sm2-issuing", BigInteger.TWO)).isEmpty();
        assertThat(store.find("k-none")).isEmpty();
    }

    @Test
    void theSerialIsStoredInLowerCaseHexAsOnCertificateRecords() throws Exception {
        store.add(key("k-hex", new BigInteger("00ABCDEF", 16), FAR));

        SearchResultEntry entry = km.getEntry(directory.names().escrowedKey("k-hex").toString(), "egovSerialNumber");
        assertThat(entry.getAttributeValue("egovSerialNumber")).isEqualTo("abcdef");
    }

    @Test
    void aSecondKeyWithTheSameIdIsRefusedAndTheFirstStays() {
        EscrowedKey first = key("k-dup", BigInteger.valueOf(10), FAR);
        assertThat(store.add(first)).isTrue();

        assertThat(store.add(key("k-dup", BigInteger.valueOf(11), FAR))).isFalse();

        assertThat(store.find("k-dup")).get().usingRecursiveComparison().isEqualTo(first);
    }

    @Test
    void aTransitionIsACompareAndSwapOnTheState() {
        EscrowedKey active = key("k-cas", BigInteger.valueOf(20), FAR);
        store.add(active);

        assertThat(store.transition(KeyState.ACTIVE, active.retired())).isTrue();
        // A second caller who still believes the key ACTIVE loses, and writes nothing.
        assertThat(store.transition(KeyState.ACTIVE, active.destroyed(NOW))).isFalse();

        EscrowedKey stored = store.find("k-cas").orElseThrow();
        assertThat(stored.state()).isEqualTo(KeyState.RETIRED);
        assertThat(stored.wrappedPrivateKey()).isEqualTo(active.wrappedPrivateKey());
        assertThat(stored.destroyedAt()).isNull();
    }

    @Test
    void destroyingRemovesTheWrappedKeyFromTheEntry() throws Exception {
        EscrowedKey retired = key("k-destroy", BigInteger.valueOf(30), FAR).retired();
        store.add(retired);

        assertThat(store.transition(KeyState.RETIRED, retired.destroyed(NOW))).isTrue();

        SearchResultEntry entry = km.getEntry(directory.names().escrowedKey("k-destroy").toString(), "*");
        assertThat(entry.hasAttribute("egovWrappedPrivateKey")).isFalse();
        assertThat(entry.getAttributeValue("egovKeyState")).isEqualTo("DESTROYED");
        assertThat(store.find("k-destroy")).get().usingRecursiveComparison().isEqualTo(retired.destroyed(NOW));
    }

    @Test
    void aKeyCanBeRewrappedUnderANewKekInOneStep() {
        EscrowedKey active = key("k-rewrap", BigInteger.valueOf(40), FAR);
        store.add(active);
        EscrowedKey rewrapped = new EscrowedKey(active.keyId(), active.caName(), active.serial(),
                active.subscriberDn(), active.publicKeyInfo(), bytes(48, 9), "SM4-GCM", "kek-2026-01",
                active.escrowedAt(), FAR.plus(Duration.ofDays(1)), KeyState.ACTIVE, null);

        assertThat(store.transition(KeyState.ACTIVE, rewrapped)).isTrue();

        assertThat(store.find("k-rewrap")).get().usingRecursiveComparison().isEqualTo(rewrapped);
    }

    @Test
    void ofTwoConcurrentTransitionsFromTheSameStateExactlyOneWins() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 20; i++) {
                EscrowedKey active = key("k-race-" + i, BigInteger.valueOf(100 + i), FAR);
                store.add(active);
                CyclicBarrier start = new CyclicBarrier(2);
                Future<Boolean> retire = threads.submit(at(start, () -> store.transition(KeyState.ACTIVE,
                        active.retired())));
                Future<Boolean> destroy = threads.submit(at(start, () -> store.transition(KeyState.ACTIVE,
                        active.destroyed(NOW))));

                boolean retired = retire.get(30, TimeUnit.SECONDS);
                boolean destroyed = destroy.get(30, TimeUnit.SECONDS);
                assertThat(retired ^ destroyed).as("exactly one of the two wins, round %d", i).isTrue();
                assertThat(store.find(active.keyId()).orElseThrow().state())
                        .isEqualTo(retired ? KeyState.RETIRED : KeyState.DESTROYED);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void dueForDestructionFindsTheKeysWhoseRetentionEndedAndAreNotDestroyedYet() {
        Instant now = NOW.minus(Duration.ofDays(1));
        store.add(key("k-due-active", BigInteger.valueOf(50), now.minus(Duration.ofDays(1))));
        store.add(key("k-due-retired", BigInteger.valueOf(51), now).retired());
        store.add(key("k-due-destroyed", BigInteger.valueOf(52), now.minus(Duration.ofDays(2)))
                .destroyed(now.minus(Duration.ofDays(1))));
        store.add(key("k-not-due", BigInteger.valueOf(53), now.plusSeconds(1)));

        assertThat(store.dueForDestruction(now, 100)).extracting(EscrowedKey::keyId)
                .containsExactlyInAnyOrder("k-due-active", "k-due-retired");
        assertThat(store.dueForDestruction(now, 1)).hasSize(1);
        assertThat(store.dueForDestruction(now.minus(Duration.ofDays(30)), 100)).isEmpty();
    }

    @Test
    void aTransitionOfAKeyThatDoesNotExistIsNotFound() {
        assertThatThrownBy(() -> store.transition(KeyState.ACTIVE, key("k-missing", BigInteger.TEN, FAR).retired()))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.NOT_FOUND));
    }

    private static <T> Callable<T> at(CyclicBarrier start, Callable<T> task) {
        return () -> {
            start.await(30, TimeUnit.SECONDS);
            return task.call();
        };
    }

    private static EscrowedKey key(String id, BigInteger serial, Instant retainUntil) {
        return new EscrowedKey(id, "sm2-issuing", serial, "egovSubscriberId=p-2,ou=subscribers,o=egov-pki,c=CN",
                bytes(91, 4), bytes(48, 5), "SM4-GCM", "kek-2025-01", NOW.minus(Duration.ofDays(1)), retainUntil,
                KeyState.ACTIVE, null);
    }

    /** {@code length} bytes from {@code seed}, including ones that are not valid UTF-8. */
    private static byte[] bytes(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed * 31 + i * 7 + 0x80);
        }
        return b;
    }
}
