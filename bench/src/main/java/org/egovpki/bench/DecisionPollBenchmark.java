package org.egovpki.bench;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.egovpki.directory.DirectoryNames;
import org.egovpki.directory.DirectoryProvisioner;
import org.egovpki.directory.LdapDecisionInbox;
import org.egovpki.directory.LockoutPolicy;
import org.egovpki.directory.embedded.EmbeddedDirectory;
import org.egovpki.directory.embedded.EmbeddedDirectorySettings;

/**
 * What the LDAP-browser decisions poll ({@code DirectoryDecisions.processPending}, every second by
 * default) costs the embedded directory as rejected requests accumulate: the reads of every poll
 * (open states, then decision entries) and the sweep of requests shown REJECTED, timed separately,
 * after each batch of rejected requests is added. Before 2026-12-05 every poll made the sweep's
 * search too.
 *
 * <pre>  java -cp ... org.egovpki.bench.DecisionPollBenchmark [rejected requests per step] [steps]</pre>
 */
public final class DecisionPollBenchmark {

    private static final String BASE = "o=egov-pki,c=CN";
    private static final String PASSWORD = "bench-admin-secret-1";

    private DecisionPollBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int perStep = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        System.out.printf("machine: %d cores, %s, Java %s; %d steps of %d rejected requests%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name") + " "
                        + System.getProperty("os.arch"), System.getProperty("java.version"), steps, perStep);
        Path work = Files.createTempDirectory("egov-pki-poll-bench");
        try (EmbeddedDirectory directory = EmbeddedDirectory.start(EmbeddedDirectorySettings.forEgovPki(work,
                "127.0.0.1", 0, BASE, PASSWORD.toCharArray(), LockoutPolicy.DEFAULT, Clock.systemUTC()), event -> 0);
             LDAPConnection admin = new LDAPConnection("127.0.0.1", directory.port(), EmbeddedDirectory.adminDn(),
                     PASSWORD)) {
            DirectoryNames names = new DirectoryNames(BASE);
            new DirectoryProvisioner(admin, names, new SecureRandom(), EmbeddedDirectory.SERVICE_ACCOUNT_POLICY_DN)
                    .createTree();
            LdapDecisionInbox inbox = new LdapDecisionInbox(admin, names);
            int stored = 0;
            for (int step = 1; step <= steps; step++) {
                for (int i = 0; i < perStep; i++) {
                    String id = "r-bench-" + (++stored);
                    admin.add(new Entry(names.request(id).toString(), List.of(
                            new Attribute("objectClass", "top", "egovEnrollmentRequest"),
                            new Attribute("egovRequestId", id), new Attribute("egovRequestState", "REJECTED"),
                            new Attribute("egovConfirmedState", "REJECTED"))));
                }
                long poll = medianMicros(() -> {
                    inbox.unconfirmedStates(100);
                    inbox.decisions(100);
                });
                long sweep = medianMicros(() -> inbox.unconfirmedRejections(100));
                System.out.printf("%d rejected requests: every poll %d us (median); the sweep of requests shown "
                                + "REJECTED %d us — every second before, every 10 minutes now%n", stored, poll,
                        sweep);
            }
        }
        System.exit(0);
    }

    private static long medianMicros(Runnable read) {
        for (int i = 0; i < 5; i++) {
            read.run();
        }
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            long start = System.nanoTime();
            read.run();
            micros.add((System.nanoTime() - start) / 1000);
        }
        Collections.sort(micros);
        return micros.get(micros.size() / 2);
    }
}
