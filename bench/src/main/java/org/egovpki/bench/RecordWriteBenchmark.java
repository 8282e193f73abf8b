package org.egovpki.bench;

import com.unboundid.ldap.sdk.LDAPConnection;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.CertificateStatus;
import org.egovpki.core.certificate.IssuanceState;
import org.egovpki.core.profile.CertificateType;
import org.egovpki.core.profile.KeyUsageKind;
import org.egovpki.directory.DirectoryNames;
import org.egovpki.directory.DirectoryProvisioner;
import org.egovpki.directory.LdapCertificateStore;
import org.egovpki.directory.LockoutPolicy;
import org.egovpki.directory.embedded.EmbeddedDirectory;
import org.egovpki.directory.embedded.EmbeddedDirectorySettings;

/**
 * What the index list costs a certificate record's writes on the embedded directory: two
 * directories side by side, one with today's {@link EmbeddedDirectorySettings#INDEXED_ATTRIBUTES},
 * one with the list before 2026-12-03 (15 attributes more), each written through the real
 * {@link LdapCertificateStore} (sync markers on, as the server runs): the intent's add, then the
 * one modify that stores the certificate as PUBLISHED. Rounds alternate between the two, so both
 * see the same machine load; the ratio is the figure, the absolute rates depend on the load.
 *
 * <pre>  java -cp ... org.egovpki.bench.RecordWriteBenchmark [rounds] [records per round]</pre>
 */
public final class RecordWriteBenchmark {

    private static final String BASE = "o=egov-pki,c=CN";
    private static final String PASSWORD = "bench-admin-secret-1";
    /** The attributes indexed before 2026-12-03 that today's list no longer indexes. */
    private static final List<String> DROPPED = List.of("ou", "uid", "mail", "egovCertificateId", "egovSubscriberId",
            "egovIssuerName", "egovProfile", "egovRegion", "egovRequestId", "egovEnteredBy", "egovSubmittedAt",
            "egovRole", "egovKeyId", "egovKeyState", "egovAuditSequence");

    private RecordWriteBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        List<String> before = new ArrayList<>(EmbeddedDirectorySettings.INDEXED_ATTRIBUTES);
        before.addAll(DROPPED);
        System.out.printf("machine: %d cores, %s, Java %s; %d rounds of %d records%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name") + " "
                        + System.getProperty("os.arch"), System.getProperty("java.version"), rounds, perRound);
        SecureRandom random = new SecureRandom();
        byte[] certificate = new byte[620]; // about an SM2 end-entity certificate
        random.nextBytes(certificate);
        certificate[0] = 0x30;
        try (Side now = new Side("today's list (" + EmbeddedDirectorySettings.INDEXED_ATTRIBUTES.size() + ")",
                EmbeddedDirectorySettings.INDEXED_ATTRIBUTES);
             Side old = new Side("before 2026-12-03 (" + before.size() + ")", before)) {
            now.round(perRound, random, certificate, false);
            old.round(perRound, random, certificate, false);
            for (int round = 0; round < rounds; round++) {
                now.round(perRound, random, certificate, true);
                old.round(perRound, random, certificate, true);
            }
            now.report();
            old.report();
            System.out.printf("ratio today/before: adds %.2f, modifies %.2f (higher is faster)%n",
                    median(now.adds) / median(old.adds), median(now.modifies) / median(old.modifies));
        }
        System.exit(0);
    }

    /** One directory and its measured rounds. */
    private static final class Side implements AutoCloseable {
        private final String name;
        private final EmbeddedDirectory directory;
        private final LDAPConnection admin;
        private final LdapCertificateStore store;
        private final List<Double> adds = new ArrayList<>();
        private final List<Double> modifies = new ArrayList<>();

        Side(String name, List<String> indexed) throws Exception {
            this.name = name;
            Path work = Files.createTempDirectory("egov-pki-record-bench");
            EmbeddedDirectorySettings defaults = EmbeddedDirectorySettings.forEgovPki(work, "127.0.0.1", 0, BASE,
                    PASSWORD.toCharArray(), LockoutPolicy.DEFAULT, Clock.systemUTC());
            directory = EmbeddedDirectory.start(new EmbeddedDirectorySettings(work, "127.0.0.1", 0, BASE,
                    PASSWORD.toCharArray(), indexed, defaults.schemaDefinitions(), LockoutPolicy.DEFAULT,
                    Clock.systemUTC(), List.of(), EmbeddedDirectorySettings.Durability.SYNC_ON_WRITE), event -> 0);
            admin = new LDAPConnection("127.0.0.1", directory.port(), EmbeddedDirectory.adminDn(), PASSWORD);
            DirectoryNames names = new DirectoryNames(BASE);
            new DirectoryProvisioner(admin, names, new SecureRandom(), EmbeddedDirectory.SERVICE_ACCOUNT_POLICY_DN)
                    .createTree();
            store = new LdapCertificateStore(admin, names, true);
        }

        void round(int count, SecureRandom random, byte[] certificate, boolean measured) {
            List<CertificateRecord> written = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                CertificateRecord intent = intent(new BigInteger(127, random), random);
                if (!store.writeIntent(intent)) {
                    throw new IllegalStateException("serial taken: " + intent.serialHex());
                }
                written.add(intent);
            }
            double addSeconds = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            for (CertificateRecord intent : written) {
                store.update(intent.recorded(certificate, "00".repeat(32)).inState(IssuanceState.PUBLISHED));
            }
            double modifySeconds = (System.nanoTime() - start) / 1e9;
            if (measured) {
                adds.add(count / addSeconds);
                modifies.add(count / modifySeconds);
            }
        }

        void report() {
            System.out.printf("%s: intent adds/s median %.1f %s; PUBLISHED modifies/s median %.1f %s%n", name,
                    median(adds), rounded(adds), median(modifies), rounded(modifies));
        }

        @Override
        public void close() throws Exception {
            admin.close();
            directory.close();
        }
    }

    private static CertificateRecord intent(BigInteger serial, SecureRandom random) {
        Instant now = Instant.now();
        byte[] tbs = new byte[480];
        random.nextBytes(tbs);
        tbs[0] = 0x30;
        return new CertificateRecord("sm2-issuing", serial, "r-" + serial.toString(16), "s-" + serial.toString(36),
                "CN=Bench " + serial.toString(36) + ",O=Bench,C=CN", "device-bulk", CertificateType.DEVICE,
                KeyUsageKind.SIGNING, "bench", "110000", CertificateStatus.VALID, IssuanceState.INTENT, tbs, null, now,
                now.plus(Duration.ofDays(365)), null, now, 0, null);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static List<String> rounded(List<Double> values) {
        return values.stream().map(v -> String.format("%.1f", v)).toList();
    }
}
