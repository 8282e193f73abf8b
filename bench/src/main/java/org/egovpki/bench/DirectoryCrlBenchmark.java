package org.egovpki.bench;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.LDAPConnection;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.egovpki.core.ca.CertificateAuthority;
import org.egovpki.core.ca.CrlRecord;
import org.egovpki.server.EgovPkiServer;
import org.egovpki.server.config.ConfigLoader;
import org.egovpki.server.config.EgovPkiConfig;

/**
 * The full CRL built the way the server builds it: the revoked certificate records streamed from
 * the embedded directory by paged search into the CRL encoder, signed with the SM2 issuing CA's key
 * (SM3withSM2) and published to the CA entry. Loads {@code entries} revoked records first (directly
 * as LDAP adds, the directory's write rate bounds this part), then times {@code rounds} CRL
 * issuances. Run in one JVM with the directory, as the server runs.
 *
 * <p>Arguments: entries (default 100000), rounds (default 3), loader connections (default 4).
 */
public final class DirectoryCrlBenchmark {

    private static final String CA = "sm2-issuing";
    private static final DateTimeFormatter LDAP_TIME = DateTimeFormatter.ofPattern("uuuuMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private DirectoryCrlBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int entries = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        Path dir = Files.createTempDirectory("egov-pki-crl-bench");
        Path config = dir.resolve("bench.yaml");
        // No deltas: this measures the full CRL alone (a delta with every revocation would double it).
        Files.writeString(config, "ca:\n  crl:\n    deltas: false\n");
        EgovPkiConfig settings = ConfigLoader.load(config, ConfigLoader.overrides(dir.resolve("data").toString(),
                0, 0));
        System.out.printf("machine: %d cores, %s, Java %s, max heap %d MiB%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20);
        try (EgovPkiServer server = EgovPkiServer.start(settings, Clock.systemUTC(), false)) {
            String password = Files.readString(dir.resolve("data/secrets/ca-service.password")).trim();
            long started = System.nanoTime();
            load(server.config(), password, entries, connections);
            double loadSeconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("loaded %d revoked certificate records in %.0f s (%.0f adds/s on %d connections)%n",
                    entries, loadSeconds, entries / loadSeconds, connections);
            CertificateAuthority ca = server.registry().find(CA).orElseThrow();
            List<Double> seconds = new ArrayList<>();
            CrlRecord crl = null;
            for (int round = 0; round < rounds; round++) {
                long t0 = System.nanoTime();
                crl = server.crlPublisher().issue(ca, "bench");
                seconds.add((System.nanoTime() - t0) / 1e9);
            }
            List<Double> sorted = new ArrayList<>(seconds);
            Collections.sort(sorted);
            System.out.printf("full CRL of %d entries (%.1f MB), read from the directory, signed and published: "
                    + "median %.2f s (rounds: %s)%n", entries, crl.der().length / 1e6, sorted.get(sorted.size() / 2),
                    seconds.stream().map(s -> String.format("%.2f", s)).toList());
        }
    }

    private static void load(EgovPkiConfig settings, String password, int entries, int connections)
            throws Exception {
        String base = "ou=certificates," + settings.ldap().baseDn();
        String service = "uid=egov-pki-ca,ou=services," + settings.ldap().baseDn();
        Instant now = Instant.now();
        String notBefore = LDAP_TIME.format(now.minus(Duration.ofDays(30)));
        String notAfter = LDAP_TIME.format(now.plus(Duration.ofDays(365)));
        String revoked = LDAP_TIME.format(now.minus(Duration.ofDays(1)));
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        List<Future<?>> work = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int first = c;
            work.add(pool.submit(() -> {
                SecureRandom random = new SecureRandom();
                try (LDAPConnection ldap = new LDAPConnection(settings.ldap().host(), settings.ldap().port(), service,
                        password)) {
                    for (int n = first; n < entries; n += connections) {
                        String serial = new BigInteger(1, random.generateSeed(16)).setBit(126).toString(16);
                        ldap.add("egovCertificateId=" + CA + "-" + serial + "," + base,
                                new Attribute("objectClass", "top", "egovCertificateRecord"),
                                new Attribute("egovCertificateId", CA + "-" + serial),
                                new Attribute("egovSerialNumber", serial),
                                new Attribute("egovIssuerName", CA),
                                new Attribute("egovIssuanceState", "PUBLISHED"),
                                new Attribute("egovCertificateStatus", "REVOKED"),
                                new Attribute("egovCrlShard", "0"),
                                new Attribute("egovNotBefore", notBefore),
                                new Attribute("egovNotAfter", notAfter),
                                new Attribute("egovRevocationTime", revoked),
                                new Attribute("egovRevocationReason", n % 3 == 0 ? "keyCompromise"
                                        : n % 3 == 1 ? "affiliationChanged" : "unspecified"));
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
}
