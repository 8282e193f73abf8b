package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the real server jar while its embedded directory is being written and
 * searched, round after round: after every restart no JDBM error is logged, every acknowledged
 * add and modify is there, indexed searches find exactly what the entries hold, start-up recovery
 * succeeded and {@code /health} is UP. And a start-up recovery that cannot finish stops the server
 * with the repair commands instead of a ready line.
 */
@EmbeddedOnly("kill -9 of the embedded directory's JDBM files and its start-up repair")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DirectoryCrashIT {

    private static final String BASE = "o=egov-pki,c=CN";
    private static final String SYNC = "ou=sync," + BASE;
    private static final int ROUNDS = 10;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    private static ServerProcess server;

    @BeforeAll
    static void start() {
        server = ServerProcess.serve(tmp.resolve("data"));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void repeatedKill9DuringWritesAndSearchesLosesNothingAndCorruptsNothing() throws Exception {
        // Acknowledged state: entry cn -> the ou value the directory last acknowledged for it.
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        Random random = new Random(11);
        for (int round = 1; round <= ROUNDS; round++) {
            Set<String> inFlight = ConcurrentHashMap.newKeySet();
            AtomicInteger writes = new AtomicInteger();
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> load = new ArrayList<>();
            int currentRound = round;
            load.add(thread("writer", () -> write(currentRound, acknowledged, inFlight, writes, running)));
            for (int r = 0; r < 2; r++) {
                load.add(thread("reader", () -> search(currentRound, running)));
            }
            int target = 10 + random.nextInt(30);
            await().atMost(Duration.ofSeconds(60)).until(() -> writes.get() >= target);

            ServerProcess killed = server;
            killed.kill();
            running.set(false);
            for (Thread t : load) {
                t.join(30_000);
            }
            assertThat(killed.output()).as("round %d, before the kill", round).doesNotContain("ERR_5");

            server = killed.restart();

            assertThat(server.output()).as("round %d: JDBM errors after the restart", round)
                    .doesNotContain("ERR_5").doesNotContain("Recovery of request");
            try (LDAPConnection admin = admin()) {
                for (Map.Entry<String, String> entry : acknowledged.entrySet()) {
                    if (inFlight.contains(entry.getKey())) {
                        continue; // the write in flight at the kill may or may not have happened
                    }
                    SearchResultEntry found = admin.getEntry("cn=" + entry.getKey() + "," + SYNC, "ou");
                    assertThat(found).as("round %d: acknowledged entry %s", round, entry.getKey()).isNotNull();
                    assertThat(found.getAttributeValue("ou")).as("round %d: %s's acknowledged ou", round,
                            entry.getKey()).isEqualTo(entry.getValue());
                }
                // Indexed searches find exactly what the entries hold.
                Map<String, Set<String>> byOu = acknowledged.entrySet().stream()
                        .filter(e -> !inFlight.contains(e.getKey()))
                        .collect(Collectors.groupingBy(Map.Entry::getValue,
                                Collectors.mapping(Map.Entry::getKey, Collectors.toSet())));
                for (Map.Entry<String, Set<String>> group : byOu.entrySet()) {
                    Set<String> found = cns(admin, "(ou=" + group.getKey() + ")");
                    found.retainAll(acknowledged.keySet());
                    found.removeAll(inFlight);
                    assertThat(found).as("round %d: (ou=%s) by the index", round, group.getKey())
                            .isEqualTo(group.getValue());
                }
                assertThat(cns(admin, "(cn=crash-*)")).as("round %d: every acknowledged cn by the index", round)
                        .containsAll(acknowledged.keySet().stream().filter(k -> !inFlight.contains(k)).toList());
            }
            HttpResponse<byte[]> health = get("/health");
            assertThat(health.statusCode()).as("round %d: /health", round).isEqualTo(200);
            assertThat(JSON.readTree(health.body()).path("directory").path("status").asText()).isEqualTo("UP");
            inFlight.forEach(acknowledged::remove);
        }
        assertThat(acknowledged).as("acknowledged entries over all rounds").hasSizeGreaterThan(ROUNDS * 10 / 2);
    }

    @Test
    @Order(2)
    void aStartUpRecoveryThatCannotFinishRefusesToStartAndSaysHowToRepair() throws Exception {
        try (LDAPConnection admin = admin()) {
            admin.add(new Entry("egovRequestId=r-00000000000000000001,ou=requests," + BASE, List.of(
                    new Attribute("objectClass", "top", "egovEnrollmentRequest"),
                    new Attribute("egovRequestId", "r-00000000000000000001"),
                    new Attribute("egovRequestKind", "NEW"),
                    new Attribute("egovRequestState", "APPROVED"),
                    new Attribute("egovConfirmedState", "APPROVED"),
                    new Attribute("egovPkcs10", new byte[] {0x30, 0x00}),
                    new Attribute("egovProfile", "retired-profile"),
                    new Attribute("egovCertificateType", "DEVICE"),
                    new Attribute("egovSubscriberId", "d-00000000000000000001"),
                    new Attribute("egovSubscriberDn", "egovSubscriberId=d-00000000000000000001,ou=subscribers," + BASE),
                    new Attribute("egovSubjectDn", "CN=gw.example.gov.cn,C=CN"),
                    new Attribute("egovHostName", "gw.example.gov.cn"),
                    new Attribute("egovOwner", "Test"),
                    new Attribute("egovPublishOptOut", "FALSE"),
                    new Attribute("egovAgreementAccepted", "TRUE"),
                    new Attribute("egovAgreementAcceptedAt", "20261201000000.000Z"),
                    new Attribute("egovEnteredBy", "uid=clerk,ou=operators," + BASE),
                    new Attribute("egovSubmittedAt", "20261201000000.000Z"),
                    new Attribute("egovReviewedBy", "uid=reviewer,ou=operators," + BASE),
                    new Attribute("egovDecidedAt", "20261201000100.000Z"))));
        }
        server.kill();

        ServerProcess refused = server.launchRestart();

        assertThat(refused.awaitExit(Duration.ofSeconds(120))).isEqualTo(2);
        String directory = server.data.resolve("directory").toAbsolutePath().normalize().toString();
        assertThat(refused.output())
                .contains("start-up recovery could not finish 1 approved issuance(s) (request(s) r-00000000000000000001")
                .contains("mv " + directory + " " + directory + ".damaged")
                .contains("cp -a BACKUP/directory " + directory)
                .doesNotContain("egov-pki ready")
                .doesNotContain("\tat ");
        List<JsonNode> starts = new ArrayList<>();
        for (String line : Files.readAllLines(server.data.resolve("audit/audit.jsonl"))) {
            JsonNode event = JSON.readTree(line);
            if (event.path("type").asText().equals("SERVER_START")) {
                starts.add(event);
            }
        }
        assertThat(starts.get(starts.size() - 1).path("outcome").asText()).as("the last SERVER_START audited")
                .isEqualTo("FAILURE");
    }

    // --- load ---

    private static void write(int round, Map<String, String> acknowledged, Set<String> inFlight, AtomicInteger writes,
                              AtomicBoolean running) {
        Random random = new Random(round);
        List<String> mine = new ArrayList<>();
        try (LDAPConnection admin = admin()) {
            for (int n = 0; running.get(); n++) {
                if (!mine.isEmpty() && n % 3 == 2) {
                    String cn = mine.get(random.nextInt(mine.size()));
                    String ou = "moved-" + round + "-" + n;
                    inFlight.add(cn);
                    admin.modify("cn=" + cn + "," + SYNC, new Modification(ModificationType.REPLACE, "ou", ou));
                    acknowledged.put(cn, ou);
                    inFlight.remove(cn);
                } else {
                    String cn = "crash-" + round + "-" + n;
                    inFlight.add(cn);
                    admin.add(new Entry("cn=" + cn + "," + SYNC, List.of(
                            new Attribute("objectClass", "top", "applicationProcess"), new Attribute("cn", cn),
                            new Attribute("ou", "round-" + round), new Attribute("description", "x".repeat(1500)))));
                    acknowledged.put(cn, "round-" + round);
                    inFlight.remove(cn);
                    mine.add(cn);
                }
                writes.incrementAndGet();
            }
        } catch (LDAPException | java.io.UncheckedIOException e) {
            // The kill: what was in flight stays in inFlight.
        }
    }

    private static void search(int round, AtomicBoolean running) {
        try (LDAPConnection admin = admin()) {
            while (running.get()) {
                admin.search(SYNC, SearchScope.ONE, "(ou=round-" + round + ")", "cn", "description");
                admin.search(SYNC, SearchScope.ONE, "(cn=crash-*)", "ou");
            }
        } catch (LDAPException | java.io.UncheckedIOException e) {
            // The kill.
        }
    }

    private static Thread thread(String name, Runnable body) {
        Thread thread = new Thread(body, "crash-" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static Set<String> cns(LDAPConnection connection, String filter) throws LDAPException {
        Set<String> cns = new HashSet<>();
        for (SearchResultEntry entry : connection.search(SYNC, SearchScope.ONE, filter, "cn").getSearchEntries()) {
            cns.add(entry.getAttributeValue("cn"));
        }
        return cns;
    }

    private static LDAPConnection admin() throws LDAPException {
        return server.directoryAdmin();
    }

    private static HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(server.url(path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }
}
