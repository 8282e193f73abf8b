package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.io.IOException;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.x509.Pem;
import org.egovpki.directory.openldap.Slapd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two CA server processes on one OpenLDAP directory (issue 13 part 3, docs/directory.md "Two CA
 * processes on one directory"): server A starts on a prepared slapd, its keys and secrets are copied
 * into a second data directory, and server B starts on it <em>while A is issuing</em> (so B's
 * start-up recovery meets A's issuances in flight). Then clients issue (submit on one process,
 * approve on the other), revoke and ask for CRLs on both at once. The directory and both audit trails
 * must then show: no serial twice, no subject DN held by two subscribers' valid certificates, every
 * CRL number given to one CRL only and increasing in each trail, one certificate and one issued event
 * per request, each sync event once in the outbox, and both audit trails intact.
 */
class TwoCaProcessesIT {

    private static final String BASE = "o=egov-pki,c=CN";
    private static final String ADMIN_PASSWORD = "Root2026pass";
    private static final String PASSWORD = "Operator2026pw";
    private static final String CA = "sm2-issuing";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Subject DNs several people ask for at once, on both processes: at most one may hold each. */
    private static final List<String> CONTESTED = List.of("Zhou Yi", "Wu Er", "Zheng San", "Feng Si");
    private static final Duration SOLO = Duration.ofSeconds(5);
    private static final Duration TOGETHER = Duration.ofSeconds(35);
    private static final int CLIENTS = 4;

    @TempDir
    static Path tmp;

    private static Slapd slapd;
    private static ServerProcess a;
    private static ServerProcess b;
    private static Path config;
    private static Path configB;
    private static String caPassword;

    @BeforeAll
    static void start() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("slapd"));
        slapd = Slapd.startFresh(work);
        caPassword = HexFormat.of().formatHex(bytes(24));
        Path caFile = Files.writeString(tmp.resolve("ca-service.password"), caPassword + "\n");
        Path kmFile = Files.writeString(tmp.resolve("km-service.password"), HexFormat.of().formatHex(bytes(24)) + "\n");
        config = ServerProcess.config(tmp,
                yaml -> yaml.replace("    failureWindowSeconds: 900\n", "    failureWindowSeconds: 900\n"
                        + "  external:\n    urls: [ldap://127.0.0.1:" + slapd.port() + "]\n"
                        + "    caPasswordFile: " + caFile + "\n    kmPasswordFile: " + kmFile + "\n"),
                yaml -> yaml.replace("  # initialAdminPassword: ...", "  initialAdminPassword: " + ADMIN_PASSWORD),
                yaml -> yaml.replace("    afterRevocationSeconds: 60", "    afterRevocationSeconds: 1"),
                // Two processes: recovery leaves the other's recent approvals alone (docs/directory.md).
                yaml -> yaml.replace("  recoveryGraceSeconds: 0", "  recoveryGraceSeconds: 120"));
        Path ldif = tmp.resolve("prepare.ldif");
        ServerProcess prepare = ServerProcess.launch(tmp.resolve("a"), "directory", "prepare-openldap", "--config",
                config.toString(), "--out", ldif.toString(), "--db-directory",
                Slapd.databaseDirectory(work).toString(), "--root-dn", Slapd.peercredDn());
        assertThat(prepare.awaitExit(Duration.ofSeconds(60))).as(prepare.output()).isZero();
        slapd.ldapmodify(work, ldif);

        a = ServerProcess.serveExternal(tmp.resolve("a"), "--config", config.toString());
        Path passwordFile = Files.writeString(tmp.resolve("password"), PASSWORD);
        for (String[] operator : new String[][] {{"clerk1", "ENTRY_CLERK"}, {"reviewer1", "REVIEWER"}}) {
            ServerProcess add = a.cli("operator", "add", "--config", config.toString(), "--data", a.data.toString(),
                    "--uid", operator[0], "--name", operator[0], "--role", operator[1], "--password-file",
                    passwordFile.toString());
            assertThat(add.exitValue()).as(add.output()).isZero();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {b, a, slapd}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    void twoProcessesIssueRevokeAndPublishCrlsOnOneDirectoryWithoutDuplicates() throws Exception {
        long started = System.nanoTime();
        Load load = new Load();
        List<ApiClient> servers = new CopyOnWriteArrayList<>(List.of(a.api(PASSWORD)));
        List<ApiClient> admins = new CopyOnWriteArrayList<>(List.of(a.api(ADMIN_PASSWORD)));
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + 1);
        AtomicBoolean running = new AtomicBoolean(true);
        List<Future<?>> clients = new ArrayList<>();
        for (int client = 0; client < CLIENTS; client++) {
            int number = client;
            clients.add(pool.submit(() -> load.client(number, servers, admins, running)));
        }
        clients.add(pool.submit(() -> load.watchCrls(servers, running)));

        // B is made as docs/directory.md says: a data directory of its own, with A's keys and secrets.
        Thread.sleep(SOLO.toMillis()); // let A's load get going: B's start-up recovery must meet it
        Path dataB = tmp.resolve("b");
        copyShared(a.data, dataB);
        // Its own audit trail: the anchor in the directory is per trail name.
        String configA = Files.readString(config);
        configB = ServerProcess.config(tmp.resolve("config-b"),
                yaml -> configA.replace("  trail: server\n", "  trail: server-b\n"),
                // One sync worker: B's changes write their markers, A's sweep captures them.
                yaml -> yaml.replace("  worker: true\n", "  worker: false\n"));
        b = ServerProcess.serveExternal(dataB, "--config", configB.toString());
        int issuedBeforeB = load.issued.size();
        servers.add(b.api(PASSWORD));
        admins.add(b.api(ADMIN_PASSWORD));
        long together = System.nanoTime();
        load.contest(servers.get(0), servers.get(1));
        await().atMost(TOGETHER.plusSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> System.nanoTime() - together > TOGETHER.toNanos() || !load.failures.isEmpty());
        running.set(false);
        for (Future<?> client : clients) {
            client.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(load.failures).as("answers the API should not give").isEmpty();
        // The CRL after the last revocations (afterRevocationSeconds: 1), then the final numbers.
        for (ApiClient admin : admins) {
            // 409: five races in a row lost to the other process's CRL after revocation; its CRL counts as well.
            assertThat(admin.postJson("admin", "/api/v1/crls/" + CA, ApiClient.JSON.createObjectNode()).statusCode())
                    .isIn(201, 409);
            load.observe(admin);
        }

        try (LDAPConnection ldap = slapd.bind("uid=egov-pki-ca,ou=services," + BASE, caPassword)) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> ldap.search(
                    "ou=requests," + BASE, SearchScope.ONE, "(egovRequestState=APPROVED)", "1.1").getEntryCount() == 0);
            List<SearchResultEntry> records = ldap.search("ou=certificates," + BASE, SearchScope.SUB,
                    "(objectClass=egovCertificateRecord)", "egovSerialNumber", "egovIssuerName", "egovIssuanceState",
                    "egovCertificateStatus", "egovSubjectDn", "egovSubscriberDn", "egovRequestDn").getSearchEntries();
            assertSerialsUniqueAndEveryRequestIssuedOnce(load, records);
            assertNoSubjectDnHeldByTwo(records);
            assertEachSyncEventOnce(ldap, load);
        }
        assertCrlNumbersUsedOnceAndIncreasing(load);
        assertIssuedOnceInTheAuditTrails(load);
        for (ServerProcess server : List.of(a, b)) {
            ServerProcess verify = server.cli("audit", "verify", "--config", (server == a ? config : configB).toString(),
                    "--data", server.data.toString());
            assertThat(verify.exitValue()).as("audit verify of " + server.data + ":\n" + verify.output()).isZero();
        }
        assertOcspFollowsTheOtherProcesssRevocation(load);
        System.out.printf("TwoCaProcessesIT: %d issued (%d before B was ready), %d contested DNs refused, %d revoked, "
                        + "%d CRLs asked for, %d distinct CRL numbers seen, %d s in all%n", load.issued.size(),
                issuedBeforeB, load.refused.get(), load.revoked.size(), load.crlsAsked.get(), load.crlNumbers.size(),
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
        assertThat(load.issued).as("issued").hasSizeGreaterThan(20);
        assertThat(load.revoked).as("revoked").hasSizeGreaterThan(5);
        assertThat(load.crlNumbers).as("distinct CRLs").hasSizeGreaterThan(3);
    }

    /**
     * Issued on B, whose answer B signed ahead at issuance; revoked on A. A answers revoked at once;
     * B, which learns of it only from the directory, within its next OCSP refresh (every 15 s), not
     * after its pre-signed answer's validity.
     */
    private static void assertOcspFollowsTheOtherProcesssRevocation(Load load) throws Exception {
        ApiClient onB = b.api(PASSWORD);
        String id = load.submit(onB, "Ocsp Follower");
        String serial = id == null ? null : load.approve(onB, id, false);
        assertThat(load.failures).as("issuing on B").isEmpty();
        java.security.cert.X509Certificate issuing = Pem.parseCertificate(a.api(PASSWORD).get(null, "/ca/" + CA + ".crt")
                .body());
        byte[] request = OcspClient.request(issuing, new BigInteger(serial, 16));
        assertThat(OcspClient.status(OcspClient.post(b.baseUrl(), request))).as("good on B, pre-signed")
                .isSameAs(org.bouncycastle.cert.ocsp.CertificateStatus.GOOD);

        load.revoke(a.api(ADMIN_PASSWORD), serial);
        assertThat(load.failures).as("revoking on A").isEmpty();
        assertThat(OcspClient.status(OcspClient.post(a.baseUrl(), request))).as("on A, at once")
                .isInstanceOf(org.bouncycastle.cert.ocsp.RevokedStatus.class);
        long revoked = System.nanoTime();
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> assertThat(
                OcspClient.status(OcspClient.post(b.baseUrl(), request))).as("on B")
                .isInstanceOf(org.bouncycastle.cert.ocsp.RevokedStatus.class));
        System.out.printf("TwoCaProcessesIT: B's OCSP said revoked %d ms after A's revocation%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - revoked));
    }

    /** What the second process needs from the first: everything but its lock, run files, audit trail and own directory. */
    private static void copyShared(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (String shared : List.of("keys", "km", "secrets")) {
            Path source = from.resolve(shared);
            if (!Files.exists(source)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(source)) {
                for (Path file : files.toList()) {
                    Path target = to.resolve(from.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        }
    }

    private static void assertSerialsUniqueAndEveryRequestIssuedOnce(Load load, List<SearchResultEntry> records) {
        Map<String, List<String>> byRequest = new HashMap<>();
        Set<String> serials = new HashSet<>();
        for (SearchResultEntry record : records) {
            String state = record.getAttributeValue("egovIssuanceState");
            String serial = record.getAttributeValue("egovIssuerName") + "/" + record.getAttributeValue("egovSerialNumber");
            assertThat(serials.add(serial)).as("serial used twice: " + serial).isTrue();
            if (!"VOID".equals(state) && record.getAttributeValue("egovRequestDn") != null) {
                byRequest.computeIfAbsent(record.getAttributeValue("egovRequestDn"), k -> new ArrayList<>())
                        .add(record.getAttributeValue("egovSerialNumber") + " " + state);
            }
        }
        for (Map.Entry<String, String> issued : load.issued.entrySet()) {
            assertThat(byRequest.get("egovRequestId=" + issued.getKey() + ",ou=requests," + BASE))
                    .as("the records of request " + issued.getKey()).containsExactly(issued.getValue() + " PUBLISHED");
        }
        byRequest.forEach((request, list) -> assertThat(list).as("records of " + request).hasSize(1));
    }

    private static void assertNoSubjectDnHeldByTwo(List<SearchResultEntry> records) {
        Map<String, Set<String>> holders = new HashMap<>();
        for (SearchResultEntry record : records) {
            String state = record.getAttributeValue("egovIssuanceState");
            if ("VALID".equals(record.getAttributeValue("egovCertificateStatus"))
                    && ("RECORDED".equals(state) || "PUBLISHED".equals(state))) {
                holders.computeIfAbsent(record.getAttributeValue("egovSubjectDn"), k -> new HashSet<>())
                        .add(record.getAttributeValue("egovSubscriberDn"));
            }
        }
        holders.forEach((dn, subscribers) -> assertThat(subscribers).as("subscribers holding " + dn).hasSize(1));
    }

    private static void assertEachSyncEventOnce(LDAPConnection ldap, Load load) {
        int certificateEvents = load.issued.size() + load.revoked.size();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> ldap.search(
                "ou=outbox,ou=sync," + BASE, SearchScope.SUB, "(|(egovSyncEventType=cert.issued)"
                        + "(egovSyncEventType=cert.revoked))", "1.1").getEntryCount() >= certificateEvents);
        List<String> ids = new ArrayList<>();
        List<String> sequences = new ArrayList<>();
        try {
            for (SearchResultEntry event : ldap.search("ou=outbox,ou=sync," + BASE, SearchScope.SUB,
                    "(objectClass=egovSyncOutboxEvent)", "egovSyncEventId", "egovSyncSequence").getSearchEntries()) {
                ids.add(event.getAttributeValue("egovSyncEventId"));
                sequences.add(event.getParentDNString() + "#" + event.getAttributeValue("egovSyncSequence"));
            }
        } catch (com.unboundid.ldap.sdk.LDAPException e) {
            throw new AssertionError(e);
        }
        assertThat(ids).as("sync events in the outbox").doesNotHaveDuplicates();
        assertThat(sequences).doesNotHaveDuplicates();
        assertThat(ids.stream().filter(id -> id.endsWith("/issued")).count()).as("cert.issued events")
                .isEqualTo(load.issued.size());
    }

    private static void assertCrlNumbersUsedOnceAndIncreasing(Load load) throws IOException {
        load.crlNumbers.forEach((number, hashes) -> assertThat(hashes).as("different CRLs numbered " + number)
                .hasSize(1));
        assertThat(load.regressions).as("a server answered an older CRL after a newer one").isEmpty();
        List<BigInteger> all = new ArrayList<>();
        for (ServerProcess server : List.of(a, b)) {
            List<BigInteger> trail = new ArrayList<>();
            for (JsonNode line : audit(server, "CRL_ISSUED")) {
                if (line.path("subjects").path(0).asText().equals(CA)) {
                    trail.add(new BigInteger(line.path("details").path("crlNumber").asText()));
                }
            }
            assertThat(trail).as("CRL numbers in the order " + server.data + " published them").isSorted()
                    .doesNotHaveDuplicates();
            all.addAll(trail);
        }
        assertThat(all).as("CRL numbers across both processes").doesNotHaveDuplicates();
        assertThat(all).as("CRLs seen published").containsAll(load.crlNumbers.keySet());
    }

    private static void assertIssuedOnceInTheAuditTrails(Load load) throws IOException {
        Map<String, Integer> issuedEvents = new HashMap<>();
        for (ServerProcess server : List.of(a, b)) {
            for (JsonNode line : audit(server, "CERTIFICATE_ISSUED")) {
                if ("SUCCESS".equals(line.path("outcome").asText())) {
                    issuedEvents.merge(line.path("subjects").path(0).asText(), 1, Integer::sum);
                }
            }
        }
        for (String request : load.issued.keySet()) {
            assertThat(issuedEvents.get(request)).as("CERTIFICATE_ISSUED events of request " + request).isEqualTo(1);
        }
        issuedEvents.forEach((request, count) -> assertThat(count).as("issued events of " + request).isEqualTo(1));
    }

    private static List<JsonNode> audit(ServerProcess server, String type) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(server.data.resolve("audit"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("audit.")
                    && f.getFileName().toString().endsWith(".jsonl")).sorted().toList()) {
                for (String text : Files.readAllLines(file)) {
                    JsonNode line = ApiClient.JSON.readTree(text);
                    if (type.equals(line.path("type").asText())) {
                        lines.add(line);
                    }
                }
            }
        }
        return lines;
    }

    /** The clients and what they saw. */
    private static final class Load {
        final Map<String, String> issued = new ConcurrentHashMap<>();
        final Set<String> revoked = ConcurrentHashMap.newKeySet();
        final Map<BigInteger, Set<String>> crlNumbers = new ConcurrentHashMap<>();
        final Map<ApiClient, BigInteger> lastSeen = new ConcurrentHashMap<>();
        final List<String> regressions = new CopyOnWriteArrayList<>();
        final List<String> failures = new CopyOnWriteArrayList<>();
        final ConcurrentLinkedQueue<String> revocable = new ConcurrentLinkedQueue<>();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger crlsAsked = new AtomicInteger();
        final AtomicInteger people = new AtomicInteger();

        Void client(int number, List<ApiClient> servers, List<ApiClient> admins, AtomicBoolean running) throws Exception {
            for (int round = 0; running.get() && failures.isEmpty(); round++) {
                // Submitted on one process, approved on the other (the same one while only A runs).
                int home = (number + round) % servers.size();
                ApiClient submitter = servers.get(home);
                ApiClient approver = servers.get((home + 1) % servers.size());
                String id = submit(submitter, "Load " + number + "-" + round);
                if (id == null) {
                    return null;
                }
                String serial = approve(approver, id, false);
                if (serial == null) {
                    return null;
                }
                revocable.add(serial);
                if (round % 3 == 2) {
                    revoke(admins.get(round % admins.size()));
                }
                if (round % 5 == 4) {
                    ApiClient admin = admins.get((number + round) % admins.size());
                    HttpResponse<byte[]> crl = admin.postJson("admin", "/api/v1/crls/" + CA,
                            ApiClient.JSON.createObjectNode());
                    crlsAsked.incrementAndGet();
                    // Losing five races in a row to the other process is a conflict the caller may retry.
                    if (crl.statusCode() != 200 && crl.statusCode() != 201 && crl.statusCode() != 409) {
                        failures.add("CRL: " + crl.statusCode() + " " + ApiClient.text(crl));
                        return null;
                    }
                }
            }
            return null;
        }

        /** Submits a new person's application for {@code CN=name}; its id, or null after recording a failure. */
        String submit(ApiClient server, String name) throws Exception {
            HttpResponse<byte[]> submitted = server.postJson("clerk1", "/api/v1/requests",
                    personal(name, residentId(people.incrementAndGet()), KeyAlgorithm.SM2.generate(RANDOM)));
            if (submitted.statusCode() != 201) {
                failures.add("submit: " + submitted.statusCode() + " " + ApiClient.text(submitted));
                return null;
            }
            return ApiClient.JSON.readTree(submitted.body()).path("id").asText();
        }

        /**
         * Approves; the serial issued, or null: after recording a failure, or (when {@code mayConflict})
         * for a 409 because another subscriber got the subject DN first.
         */
        String approve(ApiClient server, String id, boolean mayConflict) throws Exception {
            HttpResponse<byte[]> approved = server.postJson("reviewer1", "/api/v1/requests/" + id + "/approve",
                    ApiClient.JSON.createObjectNode());
            if (mayConflict && approved.statusCode() == 409) {
                refused.incrementAndGet();
                return null;
            }
            if (approved.statusCode() != 200) {
                failures.add("approve " + id + ": " + approved.statusCode() + " " + ApiClient.text(approved));
                return null;
            }
            String serial = ApiClient.JSON.readTree(approved.body()).path("serials").get(0).asText();
            issued.put(id, serial);
            return serial;
        }

        /**
         * Two people ask for each contested subject DN; both requests are approved at the same moment,
         * one on each process. At most one may be issued.
         */
        void contest(ApiClient onA, ApiClient onB) throws Exception {
            for (String name : CONTESTED) {
                String first = submit(onA, name);
                String second = submit(onB, name);
                if (first == null || second == null) {
                    return;
                }
                CyclicBarrier together = new CyclicBarrier(2);
                CompletableFuture<String> one = CompletableFuture.supplyAsync(() -> approveAt(together, onA, first));
                CompletableFuture<String> other = CompletableFuture.supplyAsync(() -> approveAt(together, onB, second));
                assertThat(Stream.of(one.get(60, TimeUnit.SECONDS), other.get(60, TimeUnit.SECONDS))
                        .filter(java.util.Objects::nonNull)).as("issued for CN=" + name).hasSizeLessThanOrEqualTo(1);
            }
        }

        private String approveAt(CyclicBarrier barrier, ApiClient server, String id) {
            try {
                barrier.await(30, TimeUnit.SECONDS);
                return approve(server, id, true);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private void revoke(ApiClient admin) throws Exception {
            String serial = revocable.poll();
            if (serial != null) {
                revoke(admin, serial);
            }
        }

        void revoke(ApiClient admin, String serial) throws Exception {
            ObjectNode body = ApiClient.JSON.createObjectNode();
            body.put("reason", "KEY_COMPROMISE");
            body.put("requester", "SUBSCRIBER");
            HttpResponse<byte[]> revoked = admin.postJson("admin", "/api/v1/certificates/" + serial + "/revoke", body);
            if (revoked.statusCode() != 200) {
                failures.add("revoke " + serial + ": " + revoked.statusCode() + " " + ApiClient.text(revoked));
            } else {
                this.revoked.add(serial);
            }
        }

        Void watchCrls(List<ApiClient> servers, AtomicBoolean running) throws Exception {
            while (running.get()) {
                for (ApiClient server : servers) {
                    observe(server);
                }
                Thread.sleep(100);
            }
            return null;
        }

        void observe(ApiClient server) throws Exception {
            HttpResponse<byte[]> response = server.get(null, "/crl/" + CA + ".crl");
            if (response.statusCode() != 200) {
                return;
            }
            X509CRL crl = Pem.parseCrl(response.body());
            BigInteger number = ((ASN1Integer) ASN1Integer.fromByteArray(ASN1OctetString.getInstance(
                    crl.getExtensionValue(Extension.cRLNumber.getId())).getOctets())).getPositiveValue();
            crlNumbers.computeIfAbsent(number, k -> ConcurrentHashMap.newKeySet()).add(HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(crl.getEncoded())));
            BigInteger before = lastSeen.put(server, number);
            if (before != null && before.compareTo(number) > 0) {
                regressions.add("CRL #" + number + " after #" + before);
            }
        }
    }

    /** A valid GB 11643 resident ID number, different for every {@code person}. */
    private static String residentId(int person) {
        String body = "110105" + (19600101 + (person / 1000) * 10000) + String.format("%03d", person % 1000);
        int[] weights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (body.charAt(i) - '0') * weights[i];
        }
        return body + "10X98765432".charAt(sum % 11);
    }

    private static ObjectNode personal(String name, String idNumber, KeyPair key) {
        try {
            ObjectNode body = ApiClient.JSON.createObjectNode();
            body.put("csr", Base64.getEncoder().encodeToString(new JcaPKCS10CertificationRequestBuilder(
                    new X500Principal("CN=" + name + ",O=egov-pki test,C=CN"), key.getPublic()).build(
                    new JcaContentSignerBuilder("SM3WITHSM2").setProvider(BouncyCastle.PROVIDER)
                            .build(key.getPrivate())).getEncoded()));
            body.put("profile", "personal");
            ObjectNode registration = body.putObject("registration");
            registration.put("realName", name);
            registration.put("idType", "RESIDENT_ID");
            registration.put("idNumber", idNumber);
            body.put("challengePhrase", "my secret phrase");
            body.put("agreementAccepted", true);
            return body;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
