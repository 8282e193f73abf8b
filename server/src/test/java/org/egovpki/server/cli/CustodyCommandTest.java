package org.egovpki.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.egovpki.core.crypto.Pkcs12CaKeyStore;
import org.egovpki.server.custody.CustodyPlan;
import org.egovpki.server.custody.CustodyRecord;
import org.egovpki.server.custody.KeyCustody;
import org.egovpki.server.custody.ShareFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code egov-pki custody status|reshare} over a data directory whose key store is split 3 of 5. */
class CustodyCommandTest {

    private static final List<String> FIVE = List.of("alice", "bob", "carol", "dave", "erin");

    @TempDir
    Path dir;

    private Path data;
    private Path custody;
    private char[] password;

    @BeforeEach
    void splitAKeyStore() throws IOException {
        data = dir.resolve("data");
        custody = data.resolve("custody");
        Map<String, char[]> passphrases = new LinkedHashMap<>();
        FIVE.forEach(c -> passphrases.put(c, passphrase(c)));
        password = new KeyCustody(custody, new SecureRandom(), 1_000).create(new CustodyPlan(3, FIVE), passphrases);
        Files.createDirectories(data.resolve("keys"));
        Pkcs12CaKeyStore.openOrCreate(data.resolve("keys").resolve("ca.p12"), password);
        for (String c : List.of("alice", "bob", "carol", "dave", "erin", "frank")) {
            Files.writeString(dir.resolve(c + ".pass"), new String(passphrase(c)) + "\n");
        }
    }

    private static char[] passphrase(String custodian) {
        return (custodian + " correct horse").toCharArray();
    }

    private Path config(int threshold, List<String> custodians) throws IOException {
        return Files.writeString(dir.resolve("egov-pki.yaml"), "data: " + data + "\ncaKeys:\n  custody: shares\n"
                + "  shares:\n    threshold: " + threshold + "\n    custodians: [" + String.join(", ", custodians) + "]\n");
    }

    private List<String> reshare(Path config, List<String> presenting, List<String> next) {
        List<String> args = new ArrayList<>(List.of("custody", "reshare", "--config", config.toString()));
        for (String c : presenting) {
            args.addAll(List.of("--share", custody.resolve(c + ".share").toString(),
                    "--share-passphrase-file", c + "=" + dir.resolve(c + ".pass")));
        }
        for (String c : next) {
            args.addAll(List.of("--custodian-passphrase-file", c + "=" + dir.resolve(c + ".pass")));
        }
        return args;
    }

    private Result run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void statusNamesTheSplitAndWarnsOfShareFilesLeftOnTheMachine() throws IOException {
        Result result = run(List.of("custody", "status", "--config", config(3, FIVE).toString()));

        assertThat(result.exit).as(result.err).isZero();
        assertThat(result.out).contains("split 1: 3 of 5 custodians needed")
                .contains("share 3\tcarol\tWARNING: the share file is still on this machine");
    }

    /**
     * This data directory never ran a server: no audit seal key, no directory, so a reshare could not be
     * audited. The threshold opens the key store, and still nothing is written. (A reshare that goes
     * through, audited, is CustodyIT's; that the new split joins to the same password, KeyCustodyTest's.)
     */
    @Test
    void reshareThatCannotBeAuditedIsRefusedAndChangesNothing() throws IOException {
        String before = Files.readString(custody.resolve("alice.share"));
        List<String> next = List.of("alice", "bob", "frank");

        Result result = run(reshare(config(2, next), List.of("alice", "carol", "erin"), next));

        assertThat(result.exit).isNotZero();
        assertThat(result.err).contains("reshare refused, the audit trail cannot be opened", "no audit seal key",
                "nothing was written");
        assertThat(CustodyRecord.load(custody).epoch()).isEqualTo(1);
        assertThat(Files.readString(custody.resolve("alice.share"))).isEqualTo(before);
        assertThat(custody.resolve("frank.share")).doesNotExist();
        assertThat(custody.resolve("carol.share")).exists();
    }

    @Test
    void reshareBelowTheThresholdIsRefusedAndChangesNothing() throws IOException {
        String before = Files.readString(custody.resolve("alice.share"));

        Result result = run(reshare(config(3, FIVE), List.of("alice", "bob"), FIVE));

        assertThat(result.exit).isNotZero();
        assertThat(result.err).contains("2 of 3 shares presented (alice, bob); 3 current custodians are needed; "
                + "nothing was written");
        assertThat(CustodyRecord.load(custody).epoch()).isEqualTo(1);
        assertThat(Files.readString(custody.resolve("alice.share"))).isEqualTo(before);
    }

    @Test
    void reshareRefusesTheSameCustodianTwice() throws IOException {
        Result result = run(reshare(config(3, FIVE), List.of("alice", "alice", "bob"), FIVE));

        assertThat(result.exit).isNotZero();
        assertThat(result.err).contains("custodian alice has already presented a share");
        assertThat(CustodyRecord.load(custody).epoch()).isEqualTo(1);
    }

    @Test
    void unlockWithoutUrlSendsTheShareToTheHttpPortInTheDataDirectorysPortsFile() throws IOException {
        List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer locked = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        locked.createContext("/", exchange -> {
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                    + new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            byte[] answer = "{\"locked\":true,\"presented\":1,\"threshold\":3}".getBytes(
                    java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        locked.start();
        try {
            Files.createDirectories(data.resolve("run"));
            Files.writeString(data.resolve("run").resolve("ports"), "ldap=1\nhttp=" + locked.getAddress().getPort()
                    + "\n");

            Result result = run(unlock(httpPortZeroConfig()));

            assertThat(result.exit).as(result.err).isZero();
            assertThat(received).singleElement().asString().startsWith("POST /api/v1/custody/shares ")
                    .contains("\"custodian\":\"alice\"");
        } finally {
            locked.stop(0);
        }
    }

    @Test
    void unlockWithoutUrlAndWithoutAPortsFileIsRefusedBeforeTheShareIsOpened() throws IOException {
        Result result = run(unlock(httpPortZeroConfig()));

        assertThat(result.exit).isNotZero();
        assertThat(result.err).contains("http.port is 0").contains("run/ports does not name it")
                .contains("--url");
        assertThat(result.err).doesNotContain("alice correct horse");
    }

    private Path httpPortZeroConfig() throws IOException {
        return Files.writeString(dir.resolve("locked.yaml"), "data: " + data + "\nhttp:\n  port: 0\n"
                + "caKeys:\n  custody: shares\n  shares:\n    threshold: 3\n    custodians: [" + String.join(", ", FIVE)
                + "]\n");
    }

    private List<String> unlock(Path config) throws IOException {
        Path operatorPassword = Files.writeString(dir.resolve("operator.pass"), "alice's login\n");
        return List.of("custody", "unlock", "--config", config.toString(), "--user", "alice", "--password-file",
                operatorPassword.toString(), "--share", custody.resolve("alice.share").toString(),
                "--passphrase-file", dir.resolve("alice.pass").toString(), "--timeout", "10");
    }

    private record Result(int exit, String out, String err) {
    }
}
