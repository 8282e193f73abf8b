package org.egovpki.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Callable;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.km.EnvelopedKeys;
import org.egovpki.core.km.Sm2EnvelopedKey;
import org.egovpki.server.StartupException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code egov-pki km ...}: key recovery through the running server's API (request, approve,
 * reject, show, the subscriber's download with the one-time code, the judicial file), and
 * {@code km open}, which opens an SM2 envelope locally with the recipient's private key — what a
 * judicial officer (or a test) does with the file. Exit codes are {@link ApiClient}'s.
 */
@Command(name = "km", mixinStandardHelpOptions = true,
        description = "Key recovery at the key management centre (see docs/km.md).",
        subcommands = {KmCommand.Request.class, KmCommand.Approve.class, KmCommand.Reject.class, KmCommand.Show.class,
                KmCommand.Download.class, KmCommand.JudicialFile.class, KmCommand.Open.class})
final class KmCommand implements Runnable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RECOVERIES = ApiClient.API + "/km/recoveries";

    @Override
    public void run() {
        System.out.println("usage: egov-pki km request|approve|reject|show|download|judicial-file|open ...  "
                + "(see egov-pki km <command> --help)");
    }

    @Command(name = "request", mixinStandardHelpOptions = true,
            description = "Enter a key recovery for an encryption certificate: for its subscriber (an entry clerk, "
                    + "RA admin or KM role), or --judicial with the legal document and the officer's SM2 certificate "
                    + "(a KM role).")
    static final class Request implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ApiClient.Options api;
        @Option(names = "--issuer", required = true, paramLabel = "CA", description = "CA that issued the encryption certificate")
        String issuer;
        @Option(names = "--serial", required = true, paramLabel = "HEX", description = "the encryption certificate's serial")
        String serial;
        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "why the key is recovered")
        String reason;
        @Option(names = "--judicial", description = "a judicial recovery (needs --legal-doc and --officer-cert)")
        boolean judicial;
        @Option(names = "--legal-doc", paramLabel = "REF", description = "number or archive reference of the legal document")
        String legalDocument;
        @Option(names = "--officer-cert", paramLabel = "FILE", description = "the officer's SM2 certificate, PEM or DER")
        Path officerCertificate;

        @Override
        public Integer call() {
            ObjectNode body = JSON.createObjectNode().put("kind", judicial ? "JUDICIAL" : "SUBSCRIBER")
                    .put("issuer", issuer).put("serial", serial).put("reason", reason);
            if (legalDocument != null) {
                body.put("legalDocumentRef", legalDocument);
            }
            if (officerCertificate != null) {
                body.put("officerCertificate", ApiClient.pemOrBase64(officerCertificate));
            }
            return api.client().call("POST", RECOVERIES, body, spec.commandLine().getOut(), spec.commandLine().getErr());
        }
    }

    /** The commands that name one recovery request. */
    abstract static class OnRecovery implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--id", required = true, paramLabel = "ID", description = "the recovery request, kr-...")
        String id;

        String path() {
            if (!id.matches("kr-[0-9a-f]{1,64}")) {
                throw new StartupException("--id " + id + " is not a key recovery id (kr- and hex digits)");
            }
            return RECOVERIES + "/" + id;
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true,
            description = "Approve a key recovery as KM business admin or KM operator (two different people). The "
                    + "second approval of a subscriber recovery prints the one-time challenge code, only then.")
    static final class Approve extends OnRecovery {
        @Mixin
        ApiClient.Options api;

        @Override
        public Integer call() {
            return api.client().call("POST", path() + "/approve", JSON.createObjectNode(), spec.commandLine().getOut(),
                    spec.commandLine().getErr());
        }
    }

    @Command(name = "reject", mixinStandardHelpOptions = true, description = "Reject a key recovery, with a reason.")
    static final class Reject extends OnRecovery {
        @Mixin
        ApiClient.Options api;
        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "why it is rejected")
        String reason;

        @Override
        public Integer call() {
            return api.client().call("POST", path() + "/reject", JSON.createObjectNode().put("reason", reason),
                    spec.commandLine().getOut(), spec.commandLine().getErr());
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show a key recovery: state, approvals, times (KM business admin, KM operator or auditor).")
    static final class Show extends OnRecovery {
        @Mixin
        ApiClient.Options api;

        @Override
        public Integer call() {
            return api.client().call("GET", path(), null, spec.commandLine().getOut(), spec.commandLine().getErr());
        }
    }

    @Command(name = "download", mixinStandardHelpOptions = true,
            description = "The subscriber's side (no operator login): present the one-time challenge code and the new "
                    + "token's SM2 public key; writes the key enveloped to it (GM/T 0009 SM2EnvelopedKey, DER) and, "
                    + "with --skf, the SKF ENVELOPEDKEYBLOB. The code works once.")
    static final class Download extends OnRecovery {
        @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
                description = "the running server (default: ${DEFAULT-VALUE})")
        URI url;
        @Option(names = "--code", required = true, paramLabel = "CODE", description = "the one-time challenge code")
        String code;
        @Option(names = "--public-key", required = true, paramLabel = "FILE",
                description = "the new token's SM2 public key (PEM 'PUBLIC KEY' or DER SubjectPublicKeyInfo)")
        Path publicKey;
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "where to write the SM2EnvelopedKey (DER)")
        Path out;
        @Option(names = "--skf", paramLabel = "FILE", description = "also write the SKF ENVELOPEDKEYBLOB here")
        Path skf;

        @Override
        public Integer call() {
            ObjectNode body = JSON.createObjectNode().put("challengeCode", code)
                    .put("publicKey", ApiClient.pemOrBase64(publicKey));
            ApiClient client = new ApiClient(url, Duration.ofSeconds(60));
            return jsonToFiles(client, path() + "/download", body, spec.commandLine().getOut(),
                    spec.commandLine().getErr(), this::write);
        }

        private void write(JsonNode answer) throws IOException {
            Files.write(out, Base64.getDecoder().decode(answer.path("sm2EnvelopedKey").asText()));
            if (skf != null) {
                Files.write(skf, Base64.getDecoder().decode(answer.path("envelopedKeyBlob").asText()));
            }
        }
    }

    @Command(name = "judicial-file", mixinStandardHelpOptions = true,
            description = "Fetch, once, the judicial recovery file: the key enveloped to the officer's certificate "
                    + "(DER SM2EnvelopedKey). Only the officer's private key opens it (egov-pki km open).")
    static final class JudicialFile extends OnRecovery {
        @Mixin
        ApiClient.Options api;
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "where to write the file")
        Path out;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            ApiClient.Answer answer;
            try {
                answer = api.client().send("GET", path() + "/judicial-file", null, null);
            } catch (ApiClient.Unreachable e) {
                err.println("egov-pki: " + e.getMessage());
                err.flush();
                return ApiClient.EXIT_UNREACHABLE;
            }
            if (!answer.ok()) {
                err.println("egov-pki: HTTP " + answer.status() + " " + new String(answer.body(), StandardCharsets.UTF_8));
                err.flush();
                return ApiClient.exitCode(answer.status());
            }
            writeFile(out, answer.body());
            spec.commandLine().getOut().println("wrote " + out + " (" + answer.body().length + " bytes)");
            spec.commandLine().getOut().flush();
            return ApiClient.EXIT_OK;
        }
    }

    @Command(name = "open", mixinStandardHelpOptions = true,
            description = "Open an SM2EnvelopedKey (DER) locally with the recipient's SM2 private key (PKCS#8 PEM or "
                    + "DER) and write the recovered encryption private key as PKCS#8 PEM.")
    static final class Open implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--envelope", required = true, paramLabel = "FILE", description = "the SM2EnvelopedKey (DER)")
        Path envelope;
        @Option(names = "--key", required = true, paramLabel = "FILE", description = "the recipient's private key")
        Path key;
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "where to write the opened key")
        Path out;

        @Override
        public Integer call() {
            KeyPair opened;
            try {
                opened = EnvelopedKeys.open(Sm2EnvelopedKey.parse(read(envelope)), privateKey(read(key)));
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("egov-pki: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return ApiClient.EXIT_REFUSED;
            }
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(EnvelopedKeys.privateKeyPkcs8(opened)) + "\n-----END PRIVATE KEY-----\n";
            writeFile(out, pem.getBytes(StandardCharsets.US_ASCII));
            spec.commandLine().getOut().println("opened: wrote the encryption private key to " + out);
            spec.commandLine().getOut().flush();
            return ApiClient.EXIT_OK;
        }

        private static PrivateKey privateKey(byte[] bytes) {
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            byte[] der = text.contains("-----BEGIN") ? Base64.getMimeDecoder().decode(
                    text.replaceAll("-----[A-Z0-9 ]+-----", "").strip()) : bytes;
            try {
                return KeyFactory.getInstance("EC", BouncyCastle.PROVIDER).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (Exception e) {
                throw new IllegalArgumentException("the private key is not a PKCS#8 EC/SM2 key: " + e.getMessage(), e);
            }
        }
    }

    /** Functional write of a JSON answer's fields to files. */
    @FunctionalInterface
    interface AnswerWriter {
        void write(JsonNode answer) throws IOException;
    }

    static int jsonToFiles(ApiClient client, String path, JsonNode body, PrintWriter out, PrintWriter err,
                           AnswerWriter writer) {
        ApiClient.Answer answer;
        try {
            answer = client.send("POST", path, ApiClient.JSON, JSON.writeValueAsBytes(body));
        } catch (ApiClient.Unreachable e) {
            err.println("egov-pki: " + e.getMessage());
            err.flush();
            return ApiClient.EXIT_UNREACHABLE;
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree cannot be written", e);
        }
        String text = new String(answer.body(), StandardCharsets.UTF_8);
        if (!answer.ok()) {
            err.println("egov-pki: HTTP " + answer.status() + " " + text);
            err.flush();
            return ApiClient.exitCode(answer.status());
        }
        try {
            writer.write(JSON.readTree(text));
        } catch (IOException e) {
            throw new StartupException("cannot write the answer: " + e.getMessage());
        }
        out.println("recovered: the key is enveloped to the new token's public key; import it into the token");
        out.flush();
        return ApiClient.EXIT_OK;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new StartupException("file " + file + " does not exist");
        } catch (IOException e) {
            throw new StartupException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static void writeFile(Path file, byte[] content) {
        try {
            Files.write(file, content);
        } catch (IOException e) {
            throw new StartupException("cannot write " + file + ": " + e.getMessage());
        }
    }
}
