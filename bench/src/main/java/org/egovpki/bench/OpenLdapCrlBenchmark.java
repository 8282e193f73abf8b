package org.egovpki.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.egovpki.core.ca.CertificateAuthority;
import org.egovpki.core.ca.CrlRecord;
import org.egovpki.directory.DirectoryNames;
import org.egovpki.server.EgovPkiServer;
import org.egovpki.server.config.ConfigLoader;
import org.egovpki.server.config.EgovPkiConfig;

/**
 * The {@code crl} scenario: a full CRL of N revoked certificates read from OpenLDAP, built, signed
 * and published the way the server does it ({@code CrlPublisher.issue}: the paged search of the
 * revoked, unexpired records of the CA, the streaming encoder, SM3withSM2 signature and check, the
 * compare-and-swap publication to the CA entry), with the server in this JVM on {@code
 * ldap.external} (slapd prepared by {@code directory prepare-openldap}; the N records loaded with
 * {@code slapadd -q} before it starts). Peak heap: the JVM's heap in use, sampled every 5 ms
 * during the rounds, next to the {@code -Xmx} limit the run had. In the same run, the peer: {@code
 * openssl ca -gencrl} on an index.txt of the same N revoked serials, with a P-256 CA, timed as a
 * process.
 *
 * <p>Arguments: {@code [rounds (3)] [entry counts... (100000 1000000)]}.
 */
public final class OpenLdapCrlBenchmark {

    private static final String CA = "sm2-issuing";
    /** How long the server and slapd must stay idle before a round ({@link #awaitQuiet}). */
    private static final Duration QUIET_WINDOW = Duration.ofSeconds(3);
    private static final DateTimeFormatter INDEX_TIME =
            DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

    private OpenLdapCrlBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        List<Integer> counts = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            counts.add(Integer.parseInt(args[i]));
        }
        if (counts.isEmpty()) {
            counts = List.of(100_000, 1_000_000);
        }
        try {
            run(rounds, counts);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static void run(int rounds, List<Integer> counts) throws Exception {
        System.out.printf("machine: %d cores, %s %s, Java %s, max heap %d MiB; %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20, exec(Path.of("."), "openssl", "version").trim());
        Path dir = Files.createTempDirectory("egov-pki-crl-openldap");
        System.out.println("work directory: " + dir);
        List<String> summary = new ArrayList<>();
        for (int count : counts) {
            Path work = Files.createDirectories(dir.resolve("n" + count));
            Instant now = Instant.now();
            BenchRecords records = new BenchRecords(new DirectoryNames(BenchSlapd.BASE), CA, 1, 1, now);
            System.out.println();
            System.out.println("--- " + count + " revoked certificates");
            // The peer first, while the directory is not running: same serials, same revocation time.
            summary.add(openssl(work, records, count, rounds));

            Path config = work.resolve("bench.yaml");
            Files.writeString(config, "ca:\n  crl:\n    deltas: false\n");
            EgovPkiConfig plain = ConfigLoader.load(config, ConfigLoader.overrides(work.resolve("data").toString(), 0,
                    0));
            Path ldif = work.resolve("records.ldif");
            long t0 = System.nanoTime();
            records.writeLdif(ldif, count);
            System.out.printf("records.ldif written in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            try (BenchSlapd slapd = BenchSlapd.start(work.resolve("slapd"), plain.ldap().lockout(), ldif)) {
                Files.delete(ldif);
                Files.writeString(config, slapd.external("ldap:\n  lockout:\n    failureWindowSeconds: 900\n")
                        + "ca:\n  crl:\n    deltas: false\n");
                EgovPkiConfig settings = ConfigLoader.load(config, ConfigLoader.overrides(work.resolve("data")
                        .toString(), 0, 0));
                t0 = System.nanoTime();
                try (EgovPkiServer server = EgovPkiServer.start(settings, Clock.systemUTC(), false)) {
                    System.out.printf("egov-pki started on slapd in %.1f s%n", (System.nanoTime() - t0) / 1e9);
                    summary.add(egovPki(server, slapd, count, rounds));
                }
            }
        }
        System.out.println();
        System.out.println("=== summary (median of " + rounds + " rounds) ===");
        summary.forEach(System.out::println);
    }

    /**
     * Waits until the server and slapd are both idle (together under a tenth of a core over
     * {@link #QUIET_WINDOW}), so that a round times the CRL and not the work left running beside
     * it: after the start, on a directory of a million records, the statistics' first fill and the
     * walk that signs OCSP answers ahead each read every record, and the sync capture stores CRL
     * #1's event; after a round, the capture stores that CRL's event (the 49 MB CRL in it). CRLs
     * scheduled hours apart on a running server meet none of them; the first CRL after a start
     * does (docs/benchmarks.md, the `crl` section). Returns the seconds waited.
     */
    private static double awaitQuiet(BenchSlapd slapd) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long started = System.nanoTime();
        long deadline = started + TimeUnit.MINUTES.toNanos(10);
        double last = os.getProcessCpuTime() / 1e9 + slapd.cpuSeconds();
        while (true) {
            Thread.sleep(QUIET_WINDOW.toMillis());
            double now = os.getProcessCpuTime() / 1e9 + slapd.cpuSeconds();
            double cores = (now - last) / (QUIET_WINDOW.toMillis() / 1e3);
            last = now;
            if (cores < 0.1) {
                return (System.nanoTime() - started) / 1e9;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the server and slapd still used " + cores
                        + " cores 10 minutes after the start");
            }
        }
    }

    private static String egovPki(EgovPkiServer server, BenchSlapd slapd, int count, int rounds) throws Exception {
        CertificateAuthority ca = server.registry().find(CA).orElseThrow();
        System.out.printf("server and slapd quiet after %.1f s (the start's background work done)%n",
                awaitQuiet(slapd));
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long before = memory.getHeapMemoryUsage().getUsed();
        AtomicLong peak = new AtomicLong();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        List<Double> seconds = new ArrayList<>();
        CrlRecord crl = null;
        for (int round = 0; round < rounds; round++) {
            // The previous round's CRL is let go first: the server keeps none between runs (its
            // callers discard the record), so neither does the benchmark while it measures the heap.
            crl = null;
            if (round > 0) {
                System.out.printf("server and slapd quiet after %.1f s (the previous CRL's sync event stored)%n",
                        awaitQuiet(slapd));
            }
            long t0 = System.nanoTime();
            crl = server.crlPublisher().issue(ca, "bench");
            seconds.add((System.nanoTime() - t0) / 1e9);
            System.out.printf("egov-pki round %d: %.2f s%n", round + 1, seconds.get(round));
        }
        sampling.set(false);
        sampler.join();
        int entries = countEntries(crl.der());
        if (entries != count) {
            throw new IllegalStateException("the CRL lists " + entries + " certificates, expected " + count);
        }
        List<Double> sorted = new ArrayList<>(seconds);
        Collections.sort(sorted);
        return String.format(Locale.ROOT, "egov-pki on slapd | %d entries (%.1f MB) read, built, signed, published | "
                + "median %.2f s (min %.2f, max %.2f) | heap in use: %d MiB before, peak %d MiB of -Xmx %d MiB",
                count, crl.der().length / 1e6, sorted.get(sorted.size() / 2), sorted.get(0),
                sorted.get(sorted.size() - 1), before >> 20, peak.get() >> 20, Runtime.getRuntime().maxMemory() >> 20);
    }

    /**
     * The CRL's entries, counted by their DER headers: a million-entry CRL decoded whole (Bouncy Castle's
     * {@code CertificateList}) takes about 400 MB of heap, more than the benchmark's JVM has left.
     */
    private static int countEntries(byte[] der) {
        return org.egovpki.core.x509.CrlHeader.of(der).entries();
    }

    /** {@code openssl ca -gencrl} over an index.txt of the same revoked serials; returns its summary line. */
    private static String openssl(Path work, BenchRecords records, int count, int rounds) throws Exception {
        Path dir = Files.createDirectories(work.resolve("openssl"));
        exec(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "ca.key", "-out", "ca.pem", "-days", "3650", "-subj", "/C=CN/O=Bench/CN=Bench CRL CA");
        Files.writeString(dir.resolve("ca.cnf"), """
                [ ca ]
                default_ca = bench
                [ bench ]
                dir = .
                database = index.txt
                crlnumber = crlnumber
                certificate = ca.pem
                private_key = ca.key
                default_md = sha256
                default_crl_days = 1
                unique_subject = no
                """);
        Files.writeString(dir.resolve("crlnumber"), "01\n");
        String expiry = INDEX_TIME.format(Instant.now().plus(Duration.ofDays(365)));
        String revoked = INDEX_TIME.format(records.revokedAt());
        long t0 = System.nanoTime();
        try (var out = Files.newBufferedWriter(dir.resolve("index.txt"), StandardCharsets.US_ASCII)) {
            for (long i = 0; i < count; i++) {
                String serial = BenchRecords.serial(i).toString(16).toUpperCase(Locale.ROOT);
                if (serial.length() % 2 == 1) {
                    serial = "0" + serial;
                }
                out.write("R\t" + expiry + "\t" + revoked + "," + records.reason(i) + "\t" + serial
                        + "\tunknown\t/C=CN/O=Bench/CN=bench-" + i + "\n");
            }
        }
        System.out.printf("index.txt written in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        List<Double> seconds = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            t0 = System.nanoTime();
            exec(dir, "openssl", "ca", "-config", "ca.cnf", "-gencrl", "-out", "crl.der.pem");
            seconds.add((System.nanoTime() - t0) / 1e9);
            System.out.printf("openssl ca -gencrl round %d: %.2f s%n", round + 1, seconds.get(round));
        }
        exec(dir, "openssl", "crl", "-in", "crl.der.pem", "-outform", "DER", "-out", "crl.der");
        int entries = countEntries(Files.readAllBytes(dir.resolve("crl.der")));
        if (entries != count) {
            throw new IllegalStateException("openssl's CRL lists " + entries + " certificates, expected " + count);
        }
        List<Double> sorted = new ArrayList<>(seconds);
        Collections.sort(sorted);
        return String.format(Locale.ROOT, "openssl ca -gencrl (P-256, index.txt) | %d entries (%.1f MB) | median %.2f s "
                + "(min %.2f, max %.2f)", count, Files.size(dir.resolve("crl.der")) / 1e6, sorted.get(sorted.size() / 2),
                sorted.get(0), sorted.get(sorted.size() - 1));
    }

    private static String exec(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
        return output;
    }
}
