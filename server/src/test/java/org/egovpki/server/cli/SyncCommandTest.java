package org.egovpki.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.egovpki.core.sync.SyncEventType;
import org.egovpki.core.sync.SyncMessage;
import org.egovpki.core.sync.TargetState;
import org.egovpki.server.http.SyncApiFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code egov-pki sync target ...} round trip against the sync API in memory ({@link SyncApiFixture}):
 * what each command changes, what it prints (never a secret), its exit code, and that secrets come
 * from files, not from the command line.
 */
class SyncCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private SyncApiFixture api;
    private Path operatorPassword;
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void start() throws Exception {
        api = new SyncApiFixture();
        operatorPassword = Files.writeString(dir.resolve("operator"), SyncApiFixture.PASSWORD + "\n");
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    @Test
    void addsShowsUpdatesMovesAndDeletesATarget() throws Exception {
        Path targetPassword = Files.writeString(dir.resolve("target-pw"), "Target pw 2026\n");

        assertThat(run("caadmin", "sync", "target", "add", "--id", "henan-tax", "--target-url",
                "https://tax.henan.example/sync", "--business-type", "tax", "--business-type", "social-security",
                "--ca-identifier", "HN-CA", "--auth", "basic", "--auth-user", "ca", "--auth-password-file",
                targetPassword.toString())).as(err.toString()).isZero();
        JsonNode added = JSON.readTree(out.toString());
        assertThat(added.path("authentication").path("passwordSet").asBoolean()).isTrue();
        assertThat(added.path("businessTypes")).hasSize(2);
        assertThat(out.toString()).doesNotContain("Target pw 2026");
        assertThat(api.credentials.load("henan-tax").orElseThrow().password()).isEqualTo("Target pw 2026".toCharArray());

        assertThat(run("caadmin", "sync", "target", "update", "--id", "henan-tax", "--schedule", "0 0 2 * * ?",
                "--binding", "SOAP")).as(err.toString()).isZero();
        JsonNode updated = JSON.readTree(out.toString());
        assertThat(updated.path("schedule").asText()).isEqualTo("0 0 2 * * ?");
        assertThat(updated.path("binding").asText()).isEqualTo("SOAP");
        assertThat(updated.path("url").asText()).isEqualTo("https://tax.henan.example/sync");
        assertThat(updated.path("businessTypes")).hasSize(2);
        assertThat(updated.path("authentication").path("username").asText()).isEqualTo("ca");
        assertThat(api.credentials.load("henan-tax").orElseThrow().password()).isEqualTo("Target pw 2026".toCharArray());

        assertThat(run("auditor", "sync", "target", "list")).isZero();
        assertThat(JSON.readTree(out.toString()).path("targets")).hasSize(1);
        assertThat(run("auditor", "sync", "target", "show", "--id", "henan-tax")).isZero();
        assertThat(JSON.readTree(out.toString()).path("state").path("lastEnqueuedSequence").asLong()).isZero();

        for (int i = 1; i <= 2; i++) {
            api.store.enqueue(new SyncMessage("henan-tax", i, "ca/" + i + "/issued", SyncEventType.CERT_ISSUED, "ca",
                    i, SyncApiFixture.NOW, new byte[] {'{', '}'}, new byte[] {1}));
        }
        TargetState now = api.store.state("henan-tax");
        api.store.updateState("henan-tax", now, new TargetState(2, 0, true, 10, "HTTP 503", null, null, null));
        assertThat(run("caadmin", "sync", "target", "redrive", "--id", "henan-tax")).isZero();
        assertThat(api.store.state("henan-tax").parked()).isFalse();
        assertThat(run("caadmin", "sync", "target", "skip", "--id", "henan-tax")).isZero();
        assertThat(api.store.state("henan-tax").lastDelivered()).isEqualTo(1);
        assertThat(run("caadmin", "sync", "target", "replay", "--id", "henan-tax", "--from", "1")).isZero();
        assertThat(api.store.state("henan-tax").lastDelivered()).isZero();

        assertThat(run("auditor", "sync", "target", "delete", "--id", "henan-tax")).isEqualTo(ApiClient.EXIT_REFUSED);
        assertThat(err.toString()).contains("HTTP 403");
        assertThat(run("caadmin", "sync", "target", "delete", "--id", "henan-tax")).isZero();
        assertThat(api.store.targets()).isEmpty();
        assertThat(api.credentials.load("henan-tax")).isEmpty();
    }

    @Test
    void aRefusalIsPrintedWithItsFieldAndTheExitCodeSaysRefused() {
        int exit = run("caadmin", "sync", "target", "add", "--id", "t1", "--target-url", "ftp://x.example/",
                "--ca-identifier", "HN-CA");

        assertThat(exit).isEqualTo(ApiClient.EXIT_REFUSED);
        assertThat(err.toString()).contains("HTTP 400 BAD_REQUEST").contains("(field url)");
        assertThat(run("caadmin", "sync", "target", "update", "--id", "nobody", "--schedule", "realtime"))
                .isEqualTo(ApiClient.EXIT_REFUSED);
        assertThat(err.toString()).contains("HTTP 404");
    }

    @Test
    void aPasswordIsNeverTakenFromTheCommandLine() {
        int exit = run("caadmin", "sync", "target", "add", "--id", "t1", "--target-url", "https://x.example/",
                "--ca-identifier", "HN-CA", "--auth", "basic", "--auth-user", "ca", "--auth-password", "pw");

        assertThat(exit).isNotZero();
        assertThat(err.toString()).contains("--auth-password");
        assertThat(api.store.targets()).isEmpty();
    }

    private int run(String user, String... args) {
        out = new StringWriter();
        err = new StringWriter();
        String[] all = new String[args.length + 6];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(new String[] {"--user", user, "--password-file", operatorPassword.toString(), "--url",
                api.url().toString()}, 0, all, args.length, 6);
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), all);
    }
}
