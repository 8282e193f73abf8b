package org.egovpki.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;

import org.egovpki.core.crypto.CaKeyStore;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.x509.CaCertificateFactory;
import org.egovpki.core.x509.CaCertificateRequest;

/**
 * The CA key store's cost as it grows (docs/benchmarks.md, "`footprint` and the CA key store"): a
 * store that gains a sync-signing key per CA every 20 days holds some 36 keys after a year.
 *
 * <pre>
 *   KeyStoreBenchmark make FILE N     # a store of N SM2 keys; prints the time of every 10th put
 *   KeyStoreBenchmark open FILE       # opens FILE and asks for the signers of its first four keys
 * </pre>
 *
 * Run {@code open} in a fresh JVM each time (bench/keystore does), as a restart would. Uses only
 * the {@link CaKeyStore} interface, so the same class measures the jar of an older commit
 * ({@code -cp bench/target/classes:old.jar}).
 */
public final class KeyStoreBenchmark {

    private static final char[] PASSWORD = "benchmark key store password".toCharArray();

    private KeyStoreBenchmark() {
    }

    public static void main(String[] args) {
        if (args.length == 3 && args[0].equals("make")) {
            make(Path.of(args[1]), Integer.parseInt(args[2]));
        } else if (args.length == 2 && args[0].equals("open")) {
            open(Path.of(args[1]));
        } else {
            System.err.println("usage: KeyStoreBenchmark make FILE N | open FILE");
            System.exit(2);
        }
    }

    private static void make(Path file, int keys) {
        if (Files.exists(file)) {
            throw new IllegalArgumentException(file + " exists: make writes a new store");
        }
        SecureRandom random = new SecureRandom();
        CaCertificateFactory certificates = new CaCertificateFactory(Clock.systemUTC(), random);
        CaKeyStore store = CaKeyStore.openOrCreate(file, PASSWORD, random);
        List<String> puts = new ArrayList<>();
        for (int i = 1; i <= keys; i++) {
            KeyPair key = KeyAlgorithm.SM2.generate(random);
            X509Certificate certificate = certificates.selfSignedRoot(CaCertificateRequest.root(
                    "CN=Benchmark key " + i + ",O=egov-pki,C=CN", Period.ofYears(1), "http://pki.egov-pki.test/ca/"), key);
            long start = System.nanoTime();
            store.put("key-" + i, key.getPrivate(), new X509Certificate[] {certificate});
            if (i % 10 == 0) {
                puts.add(String.format("#%d %d ms", i, (System.nanoTime() - start) / 1_000_000));
            }
        }
        System.out.println("key store of " + keys + " SM2 keys written to " + file + "; put " + String.join(", ", puts));
    }

    private static void open(Path file) {
        long start = System.nanoTime();
        CaKeyStore store = CaKeyStore.openOrCreate(file, PASSWORD);
        long opened = System.nanoTime();
        for (int i = 1; i <= 4; i++) {
            store.signer("key-" + i).orElseThrow();
        }
        long signers = System.nanoTime();
        System.out.printf("open %d ms, four signers %d ms, in all %d ms (%d keys)%n", (opened - start) / 1_000_000,
                (signers - opened) / 1_000_000, (signers - start) / 1_000_000, store.aliases().size());
    }
}
