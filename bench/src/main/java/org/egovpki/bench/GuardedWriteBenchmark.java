package org.egovpki.bench;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.LDAPConnection;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.egovpki.server.EgovPkiServer;
import org.egovpki.server.config.ConfigLoader;
import org.egovpki.server.config.EgovPkiConfig;

/**
 * What the embedded directory's disclosure guard costs the server's own writes and reads: small
 * adds and base reads on one connection, bound as the CA service account (the account every
 * server write uses, which goes through the guard) and as the directory administrator (which the
 * guard and the access control skip), in alternating rounds on the same running server, so both
 * see the same machine. The CA/admin ratio is what the guard and the access control add; the
 * machine's speed cancels out of it.
 *
 * <p>Uses only the server's public start-up API, so the same class can be compiled against an
 * older tree to compare before and after (see docs/benchmarks.md).
 */
public final class GuardedWriteBenchmark {

    private GuardedWriteBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        Path dir = Files.createTempDirectory("egov-pki-guard-bench");
        Path config = dir.resolve("bench.yaml");
        Files.writeString(config, "enrollment:\n  initialAdminPassword: Bench2026pass\n");
        EgovPkiConfig settings = ConfigLoader.load(config, ConfigLoader.overrides(dir.resolve("data").toString(),
                freePort(), freePort()));
        System.out.printf("machine: %d cores, %s, Java %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"), System.getProperty("java.version"));
        int status = 0;
        try (EgovPkiServer server = EgovPkiServer.start(settings, Clock.systemUTC(), true)) {
            Path data = dir.resolve("data");
            String base = settings.ldap().baseDn();
            Account admin = new Account("admin", "uid=admin,ou=system",
                    Files.readString(data.resolve("secrets/directory-admin.password")).trim());
            Account ca = new Account("CA service account", "uid=egov-pki-ca,ou=services," + base,
                    Files.readString(data.resolve("secrets/ca-service.password")).trim());
            int next = 10_000_000;
            // Warm-up: one round each, not counted.
            next = measure(settings, admin, next, perRound, null);
            next = measure(settings, ca, next, perRound, null);
            for (int round = 0; round < rounds; round++) {
                next = measure(settings, admin, next, perRound, admin);
                next = measure(settings, ca, next, perRound, ca);
            }
            for (Account account : List.of(admin, ca)) {
                System.out.printf(Locale.ROOT, "%-18s adds/s median %.0f (rounds %s); base reads/s median %.0f "
                                + "(rounds %s)%n", account.name, median(account.adds), rounded(account.adds),
                        median(account.reads), rounded(account.reads));
            }
            System.out.printf(Locale.ROOT, "CA service account / admin: adds x%.2f, reads x%.2f (medians of the "
                    + "per-round ratios)%n", medianRatio(ca.adds, admin.adds), medianRatio(ca.reads, admin.reads));
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    /** An account to bind as, and its per-round rates. */
    private static final class Account {
        final String name;
        final String dn;
        final String password;
        final List<Double> adds = new ArrayList<>();
        final List<Double> reads = new ArrayList<>();

        Account(String name, String dn, String password) {
            this.name = name;
            this.dn = dn;
            this.password = password;
        }
    }

    /** {@code count} adds of small audit event entries, then a base read of each; rates go to {@code into}. */
    private static int measure(EgovPkiConfig settings, Account account, int first, int count, Account into)
            throws Exception {
        String parent = "ou=audit," + settings.ldap().baseDn();
        try (LDAPConnection ldap = new LDAPConnection(settings.ldap().host(), settings.ldap().port(), account.dn,
                account.password)) {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                int n = first + i;
                ldap.add("egovAuditSequence=" + n + "," + parent,
                        new Attribute("objectClass", "top", "egovAuditEvent"),
                        new Attribute("egovAuditSequence", Integer.toString(n)),
                        new Attribute("egovAuditTime", "20261202000000Z"),
                        new Attribute("egovAuditEventType", "BENCH"),
                        new Attribute("egovAuditHash", "00"));
            }
            double addSeconds = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                if (ldap.getEntry("egovAuditSequence=" + (first + i) + "," + parent, "egovAuditHash") == null) {
                    throw new IllegalStateException("entry " + (first + i) + " not readable as " + account.name);
                }
            }
            double readSeconds = (System.nanoTime() - start) / 1e9;
            if (into != null) {
                into.adds.add(count / addSeconds);
                into.reads.add(count / readSeconds);
            }
        }
        return first + count;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double medianRatio(List<Double> numerators, List<Double> denominators) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < numerators.size(); i++) {
            ratios.add(numerators.get(i) / denominators.get(i));
        }
        return median(ratios);
    }

    private static List<String> rounded(List<Double> values) {
        return values.stream().map(v -> String.format(Locale.ROOT, "%.0f", v)).toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
