package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.crypto.SoftHsm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server with its CA keys on a SoftHSM2 token ({@code caKeys.store: pkcs11}): the ECDSA
 * root and issuing CA, their delegated OCSP responders and sync signers are made on the token, a
 * certificate it issues, its OCSP answers and the CRL listing its revocation verify in OpenSSL, no
 * key file or key password appears in the data directory, and a restart finds the same CAs on the
 * token. An SM2 chain on a token is refused before anything starts.
 */
class Pkcs11IT {

    private static final String ADMIN_PASSWORD = "Root2026pass";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path tmp;

    /** The failsafe JVM's SOFTHSM2_CONF (the POM sets it), which the server processes inherit. */
    private static SoftHsm token() throws Exception {
        String conf = System.getenv("SOFTHSM2_CONF");
        assumeThat(conf).as("SOFTHSM2_CONF set by the server POM's failsafe configuration").isNotNull();
        return SoftHsm.create(Path.of(conf).getParent(), "egov-pki-it");
    }

    private Path config(SoftHsm hsm, boolean sm2) throws Exception {
        Path pin = tmp.resolve("token.pin");
        Files.writeString(pin, SoftHsm.PIN + "\n");
        Files.setPosixFilePermissions(pin, PosixFilePermissions.fromString("rw-------"));
        long slot = hsm.slot().id();
        List<UnaryOperator<String>> edits = new ArrayList<>(List.of(
                yaml -> yaml.replace("    - algorithm: EC\n      enabled: false", "    - algorithm: EC\n      enabled: true"),
                yaml -> yaml.replace("  # initialAdminPassword: ...", "  initialAdminPassword: " + ADMIN_PASSWORD),
                yaml -> yaml.replace("  signer: ca\n", "  signer: delegated\n"),
                yaml -> yaml.replace("profiles:\n", "profiles:\n  - name: device-ec\n    type: DEVICE\n"
                        + "    issuer: ec-issuing\n    validityMonths: 12\n    identityExtensions: NONE\n"
                        + "    extendedKeyUsages: [serverAuth]\n    autoApproveForRa: true\n"),
                yaml -> yaml.replace("caKeys:\n", "caKeys:\n  pkcs11:\n    library: " + SoftHsm.LIBRARY + "\n"
                        + "    slot: " + slot + "\n    pinFile: " + pin + "\n"),
                yaml -> yaml.replace("  store: pkcs12\n", "  store: pkcs11\n")));
        if (!sm2) {
            edits.add(yaml -> yaml.replace("    - algorithm: SM2\n      enabled: true", "    - algorithm: SM2\n      enabled: false"));
        }
        @SuppressWarnings("unchecked")
        UnaryOperator<String>[] array = edits.toArray(UnaryOperator[]::new);
        return ServerProcess.config(tmp, array);
    }

    @Test
    void theCaKeysLiveOnTheTokenAndEverythingTheySignVerifiesInOpenSsl() throws Exception {
        assumeThat(Tools.openSsl()).as("openssl on PATH").isTrue();
        SoftHsm hsm = token();
        Path config = config(hsm, false);
        Path data = tmp.resolve("data");
        String rootPem;
        try (ServerProcess server = ServerProcess.serve(data, "--config", config.toString())) {
            assertThat(server.output()).contains("CA keys are on the PKCS#11 token")
                    .doesNotContain("DEMO KEY CUSTODY: the CA key store");
            assertThat(data.resolve("keys/ca.p12")).doesNotExist();
            assertThat(data.resolve("secrets/ca-keystore.password")).doesNotExist();

            String serial = issueDeviceCertificate(server);
            Path leaf = Files.write(tmp.resolve("leaf.pem"), get(server, "/api/v1/certificates/" + serial + ".pem", true));
            Path issuing = Files.write(tmp.resolve("ec-issuing.pem"), get(server, "/ca/ec-issuing.pem", false));
            Path root = Files.write(tmp.resolve("ec-root.pem"), get(server, "/ca/ec-root.pem", false));
            rootPem = Files.readString(root);
            assertThat(Tools.run("openssl", "verify", "-CAfile", root.toString(), "-untrusted", issuing.toString(),
                    leaf.toString())).contains(leaf + ": OK");
            String ocsp = Tools.run("openssl", "ocsp", "-issuer", issuing.toString(), "-cert", leaf.toString(),
                    "-url", server.baseUrl() + "/ocsp", "-CAfile", root.toString(), "-verify_other", issuing.toString());
            assertThat(ocsp).contains("Response verify OK").contains(leaf + ": good");

            HttpResponse<byte[]> revoked = send(authorized(server, "/api/v1/certificates/" + serial + "/revoke")
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"reason\": \"KEY_COMPROMISE\", \"requester\": \"CA_RA\"}")).build());
            assertThat(revoked.statusCode()).as(new String(revoked.body(), StandardCharsets.UTF_8)).isEqualTo(200);
            assertThat(Tools.run("openssl", "ocsp", "-issuer", issuing.toString(), "-cert", leaf.toString(),
                    "-url", server.baseUrl() + "/ocsp", "-CAfile", root.toString(), "-verify_other",
                    issuing.toString())).contains("Response verify OK").contains(leaf + ": revoked");
            HttpResponse<byte[]> crlIssued = send(authorized(server, "/api/v1/crls/ec-issuing")
                    .POST(HttpRequest.BodyPublishers.noBody()).build());
            assertThat(crlIssued.statusCode()).as(new String(crlIssued.body(), StandardCharsets.UTF_8)).isLessThan(300);
            Path crl = Files.write(tmp.resolve("ec-issuing.crl"), get(server, "/crl/ec-issuing.crl", false));
            String crlText = Tools.run("openssl", "crl", "-inform", "DER", "-in", crl.toString(), "-CAfile",
                    issuing.toString(), "-noout", "-text");
            assertThat(crlText).contains("verify OK").containsIgnoringCase(serial.replaceFirst("^0+", ""));
        }

        try (ServerProcess again = ServerProcess.serve(data, "--config", config.toString())) {
            assertThat(new String(get(again, "/ca/ec-root.pem", false), StandardCharsets.US_ASCII))
                    .as("the same root, its key found on the token again").isEqualTo(rootPem);
            assertThat(again.output()).doesNotContain("Created ROOT CA");
        }
    }

    @Test
    void anSm2ChainOnATokenIsRefusedBeforeAnythingStarts() throws Exception {
        SoftHsm hsm = token();
        Path config = config(hsm, true);
        Path data = tmp.resolve("data");

        ServerProcess refused = ServerProcess.launch(data, "serve", "--data", data.toString(), "--config",
                config.toString(), "--ldap-port", "0", "--http-port", "0");
        assertThat(refused.awaitExit(Duration.ofSeconds(60))).isNotZero();
        assertThat(refused.output()).contains("caKeys.store").contains("SM2").contains("enabled: false");
        assertThat(data.resolve("directory")).doesNotExist();
    }

    private static String issueDeviceCertificate(ServerProcess server) throws Exception {
        KeyPair key = KeyAlgorithm.EC.generate(RANDOM);
        String host = "pkcs11-test.example.gov.cn";
        byte[] csr = new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=" + host + ",O=Tax Bureau,C=CN"),
                key.getPublic()).build(new JcaContentSignerBuilder("SHA256WITHECDSA").setProvider(BouncyCastle.PROVIDER)
                .build(key.getPrivate())).getEncoded();
        ObjectNode body = JSON.createObjectNode();
        body.put("csr", Base64.getEncoder().encodeToString(csr));
        body.put("profile", "device-ec");
        ObjectNode registration = body.putObject("registration");
        registration.putArray("hostNames").add(host);
        registration.put("owner", "Tax Bureau IT");
        body.put("agreementAccepted", true);
        HttpResponse<byte[]> response = send(authorized(server, "/api/v1/requests")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
        JsonNode issued = JSON.readTree(response.body());
        assertThat(response.statusCode()).as(issued.toString()).isEqualTo(201);
        assertThat(issued.path("state").asText()).as(issued.toString()).isEqualTo("ISSUED");
        return issued.path("serials").get(0).asText();
    }

    private static HttpRequest.Builder authorized(ServerProcess server, String path) {
        return HttpRequest.newBuilder(server.url(path)).header("Authorization", "Basic "
                + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] get(ServerProcess server, String path, boolean authorized) throws Exception {
        HttpResponse<byte[]> response = send(authorized ? authorized(server, path).build()
                : HttpRequest.newBuilder(server.url(path)).build());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    private static HttpResponse<byte[]> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }
}
