package org.egovpki.bench;

import com.unboundid.ldap.sdk.LDAPConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.egovpki.core.certificate.CertificateQuery;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.directory.DirectoryNames;
import org.egovpki.directory.LdapCertificateStore;
import org.egovpki.server.EgovPkiServer;
import org.egovpki.server.config.ConfigLoader;
import org.egovpki.server.config.EgovPkiConfig;

/**
 * The {@code ldap} scenario: certificate record lookups per second by serial and by subscriber,
 * from {@code threads} threads each with its own UnboundID connection (bound as the CA's service
 * account, as the server binds), through the product's own {@link LdapCertificateStore#search}: the
 * filters the public lookups send (PublicLookup and {@code GET /api/v1/certificates?serial=} by
 * serial: {@code (&(objectClass=egovCertificateRecord)(egovSerialNumber=<hex>)(|(egovIssuanceState=
 * RECORDED)(egovIssuanceState=PUBLISHED)))}; {@code ?subscriber=} by subscriber: the same with
 * {@code egovSubscriberDn}), one level under {@code ou=certificates}, all attributes. Each lookup
 * picks a random record and checks the answer's size (1 by serial; the subscriber's 2 by
 * subscriber).
 *
 * <p>Two directories in the same run: slapd (OpenLDAP, prepared by {@code directory prepare-openldap},
 * records loaded with {@code slapadd -q}) holding {@code certificates} records, and the embedded
 * directory of a real server holding {@code embeddedCertificates} records loaded by LDAP adds
 * (about 100/s here, so fewer by default: the lookups are indexed, and their cost barely depends on
 * the count).
 *
 * <p>Arguments: {@code [certificates (100000)] [embeddedCertificates (10000)] [seconds per round (10)]
 * [threads (8)] [rounds (3)]}.
 */
public final class LookupBenchmark {

    private static final int PER_SUBSCRIBER = 2;
    private static final String ISSUER = "sm2-issuing";

    private final int seconds;
    private final int threads;
    private final int rounds;
    private final List<String> summary = new ArrayList<>();

    private LookupBenchmark(int seconds, int threads, int rounds) {
        this.seconds = seconds;
        this.threads = threads;
        this.rounds = rounds;
    }

    public static void main(String[] args) throws Exception {
        int certificates = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int embedded = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        try {
            new LookupBenchmark(seconds, threads, rounds).run(certificates, embedded);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private void run(int certificates, int embedded) throws Exception {
        System.out.printf("machine: %d cores, %s %s, Java %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
        Path dir = Files.createTempDirectory("egov-pki-ldap-bench");
        System.out.println("work directory: " + dir);
        DirectoryNames names = new DirectoryNames(BenchSlapd.BASE);
        BenchRecords records = new BenchRecords(names, ISSUER, 10, PER_SUBSCRIBER, Instant.now());
        Path config = Files.writeString(dir.resolve("bench.yaml"), "ca:\n  crl:\n    deltas: false\n");
        EgovPkiConfig settings = ConfigLoader.load(config, ConfigLoader.overrides(dir.resolve("data").toString(), 0, 0));

        Path ldif = dir.resolve("records.ldif");
        records.writeLdif(ldif, certificates);
        double[][] slapdRates;
        try (BenchSlapd slapd = BenchSlapd.start(dir.resolve("slapd"), settings.ldap().lockout(), ldif)) {
            slapdRates = lookups("slapd (OpenLDAP " + slapdVersion() + "), " + certificates + " records", records,
                    certificates, () -> new LDAPConnection("127.0.0.1", slapd.port(), slapd.caServiceDn(),
                            slapd.caPassword()));
        }
        Files.delete(ldif);

        double[][] embeddedRates;
        try (EgovPkiServer server = EgovPkiServer.start(settings, Clock.systemUTC(), false)) {
            EgovPkiConfig bound = server.config();
            String password = Files.readString(dir.resolve("data/secrets/ca-service.password")).trim();
            String service = "uid=egov-pki-ca,ou=services," + bound.ldap().baseDn();
            Connector connector = () -> new LDAPConnection(bound.ldap().host(), bound.ldap().port(), service, password);
            long t0 = System.nanoTime();
            load(connector, records, embedded, 4);
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("embedded directory: %d records added over LDAP in %.0f s (%.0f/s on 4 connections)%n",
                    embedded, s, embedded / s);
            embeddedRates = lookups("embedded directory (ApacheDS), " + embedded + " records", records, embedded,
                    connector);
        }
        System.out.println();
        System.out.printf("=== summary (%d threads, one connection each; median of %d rounds of %d s) ===%n", threads,
                rounds, seconds);
        summary.forEach(System.out::println);
        System.out.printf("ratio slapd / embedded: by serial %.1fx, by subscriber %.1fx%n",
                slapdRates[0][0] / embeddedRates[0][0], slapdRates[1][0] / embeddedRates[1][0]);
    }

    private static String slapdVersion() {
        try {
            Process p = new ProcessBuilder("/usr/sbin/slapd", "-VV").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("slapd ([0-9.]+)").matcher(out);
            return m.find() ? m.group(1) : "?";
        } catch (Exception e) {
            return "?";
        }
    }

    @FunctionalInterface
    private interface Connector {
        LDAPConnection connect() throws Exception;
    }

    private static void load(Connector connector, BenchRecords records, int count, int connections) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        List<Future<?>> work = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int first = c;
            work.add(pool.submit(() -> {
                try (LDAPConnection ldap = connector.connect()) {
                    for (int i = first; i < count; i += connections) {
                        ldap.add(records.entry(i));
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : work) {
            f.get();
        }
        pool.shutdown();
    }

    /** Returns {{median rate, p99 ms} by serial, {median rate, p99 ms} by subscriber}. */
    private double[][] lookups(String directory, BenchRecords records, int count, Connector connector)
            throws Exception {
        System.out.println();
        System.out.println("--- " + directory);
        List<LDAPConnection> connections = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                connections.add(connector.connect());
            }
            double[][] result = new double[2][];
            for (boolean bySerial : new boolean[] {true, false}) {
                String what = bySerial ? "by serial" : "by subscriber";
                round(connections, records, count, bySerial, 3); // warm-up
                List<double[]> runs = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    double[] run = round(connections, records, count, bySerial, seconds);
                    runs.add(run);
                    System.out.printf("%s round %d: %.0f lookups/s, p99 %.2f ms%n", what, r + 1, run[0], run[1]);
                }
                List<Double> rates = new ArrayList<>(runs.stream().map(x -> x[0]).toList());
                List<Double> p99s = new ArrayList<>(runs.stream().map(x -> x[1]).toList());
                Collections.sort(rates);
                Collections.sort(p99s);
                result[bySerial ? 0 : 1] = new double[] {rates.get(rates.size() / 2), p99s.get(p99s.size() / 2)};
                summary.add(String.format("%s | %s | median %.0f lookups/s (min %.0f, max %.0f) | median p99 %.2f ms",
                        directory, what, rates.get(rates.size() / 2), rates.get(0), rates.get(rates.size() - 1),
                        p99s.get(p99s.size() / 2)));
            }
            return result;
        } finally {
            connections.forEach(LDAPConnection::close);
        }
    }

    /** One timed round over all connections; returns {lookups per second, p99 latency in ms}. */
    private double[] round(List<LDAPConnection> connections, BenchRecords records, int count, boolean bySerial,
                           int roundSeconds) throws Exception {
        DirectoryNames names = new DirectoryNames(BenchSlapd.BASE);
        ExecutorService pool = Executors.newFixedThreadPool(connections.size());
        long end = System.nanoTime() + roundSeconds * 1_000_000_000L;
        long start = System.nanoTime();
        List<Future<long[]>> futures = new ArrayList<>();
        for (LDAPConnection connection : connections) {
            futures.add(pool.submit(() -> {
                LdapCertificateStore store = new LdapCertificateStore(connection, names);
                long[] latencies = new long[1 << 16];
                int n = 0;
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (System.nanoTime() < end) {
                    long i = random.nextInt(count);
                    long t0 = System.nanoTime();
                    List<CertificateRecord> found = bySerial
                            ? store.search(new CertificateQuery(BenchRecords.serial(i).toString(16), null, null, null, 10))
                            : store.search(new CertificateQuery(null, null, records.subscriberId(i), null, 100));
                    long took = System.nanoTime() - t0;
                    int expected = bySerial ? 1 : (int) Math.min(PER_SUBSCRIBER, count - i / PER_SUBSCRIBER * PER_SUBSCRIBER);
                    if (found.size() != expected) {
                        throw new IllegalStateException("lookup of record " + i + (bySerial ? " by serial" : " by subscriber")
                                + " found " + found.size() + " records, expected " + expected);
                    }
                    if (n == latencies.length) {
                        latencies = Arrays.copyOf(latencies, n * 2);
                    }
                    latencies[n++] = took;
                }
                return Arrays.copyOf(latencies, n);
            }));
        }
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> f : futures) {
            all.add(f.get());
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        long[] merged = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        double p99 = merged.length == 0 ? 0 : merged[(int) Math.min(merged.length - 1, Math.ceil(merged.length * 0.99) - 1)] / 1e6;
        return new double[] {merged.length / elapsed, p99};
    }
}
