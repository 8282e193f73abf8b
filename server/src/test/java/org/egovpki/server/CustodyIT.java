package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key custody by shares against the real jar: {@code init} with {@code caKeys.custody: shares}
 * splits a new key store password 3 of 5 into sealed share files and writes the password nowhere;
 * {@code custody status} names the split; a later {@code serve} stops with the locked-CA message
 * (the locked start is not built yet); {@code custody reshare} with three current shares makes
 * split 2 for new custodians, and one share below the threshold changes nothing.
 */
class CustodyIT {

    private static final List<String> FIVE = List.of("alice", "bob", "carol", "dave", "erin");

    @TempDir
    Path work;

    private record Result(int exit, String output) {
    }

    private Result cli(Path data, List<String> args) throws InterruptedException {
        ServerProcess cli = ServerProcess.launch(data, args.toArray(String[]::new));
        int exit = cli.awaitExit(Duration.ofSeconds(180));
        return new Result(exit, cli.output());
    }

    private Path passphrase(String custodian) throws Exception {
        return Files.writeString(work.resolve(custodian + ".pass"), custodian + " correct horse battery\n");
    }

    private Path config(String custodians, int threshold) {
        return ServerProcess.config(work.resolve("conf"), yaml -> yaml.replace("""
                  custody: demo
                  # shares:
                  #   threshold: 3
                  #   custodians: [alice, bob, carol, dave, erin]
                """, "  custody: shares\n  shares:\n    threshold: " + threshold + "\n    custodians: [" + custodians
                + "]\n"));
    }

    @Test
    void initSplitsThePasswordAndReshareReplacesCustodians() throws Exception {
        Path data = work.resolve("data");
        Path config = config(String.join(", ", FIVE), 3);
        List<String> init = new ArrayList<>(List.of("init", "--config", config.toString(), "--data", data.toString(),
                "--ldap-port", "0"));
        for (String custodian : FIVE) {
            init.addAll(List.of("--custodian-passphrase-file", custodian + "=" + passphrase(custodian)));
        }

        Result initialised = cli(data, init);

        assertThat(initialised.exit()).as(initialised.output()).isZero();
        assertThat(initialised.output()).contains("CA key store password split 3 of 5");
        Path custody = data.resolve("custody");
        for (String custodian : FIVE) {
            assertThat(Files.readString(custody.resolve(custodian + ".share")))
                    .startsWith("egov-pki key share 1\ncustodian: " + custodian + "\n");
        }
        assertThat(data.resolve("secrets").resolve("ca-keystore.password")).doesNotExist();
        assertThat(data.resolve("keys").resolve("ca.p12")).exists();
        assertThat(Files.readString(data.resolve("audit").resolve("audit.jsonl"))).contains("KEY_CUSTODY_SPLIT");

        Result status = cli(data, List.of("custody", "status", "--config", config.toString(), "--data",
                data.toString()));
        assertThat(status.exit()).as(status.output()).isZero();
        assertThat(status.output()).contains("split 1: 3 of 5 custodians needed");

        Result serve = cli(data, List.of("serve", "--config", config.toString(), "--data", data.toString(),
                "--ldap-port", "0", "--http-port", "0"));
        assertThat(serve.exit()).as(serve.output()).isEqualTo(2);
        assertThat(serve.output()).contains("the CA keys are locked: caKeys.custody is shares (3 of 5 custodians)");

        Path next = config("alice, bob, frank", 2);
        List<String> reshare = new ArrayList<>(List.of("custody", "reshare", "--config", next.toString(), "--data",
                data.toString()));
        for (String custodian : List.of("bob", "dave")) {
            reshare.addAll(List.of("--share", custody.resolve(custodian + ".share").toString(),
                    "--share-passphrase-file", custodian + "=" + passphrase(custodian)));
        }
        for (String custodian : List.of("alice", "bob", "frank")) {
            reshare.addAll(List.of("--custodian-passphrase-file", custodian + "=" + passphrase(custodian)));
        }
        Result tooFew = cli(data, reshare);
        assertThat(tooFew.exit()).isNotZero();
        assertThat(tooFew.output()).contains("2 of 3 shares presented (bob, dave)");
        assertThat(custody.resolve("carol.share")).exists();

        reshare.addAll(List.of("--share", custody.resolve("erin.share").toString(),
                "--share-passphrase-file", "erin=" + passphrase("erin")));
        Result reshared = cli(data, reshare);
        assertThat(reshared.exit()).as(reshared.output()).isZero();
        assertThat(reshared.output()).contains("split 2 written: 2 of 3 (alice, bob, frank)");
        assertThat(Files.readString(custody.resolve("frank.share"))).contains("epoch: 2");
        assertThat(custody.resolve("carol.share")).doesNotExist();
    }
}
