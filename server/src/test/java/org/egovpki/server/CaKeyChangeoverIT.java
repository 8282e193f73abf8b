package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSSignedData;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.x509.Pem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CA key changeover on the real jar (one start): a clerk is refused, a CA admin rolls the issuing
 * CA with {@code egov-pki ca changeover}, the new certificate — same subject, new key, signed by the
 * root — is published at once beside the old one, and a second changeover before the next start
 * is refused. What happens after the restart is {@code CaKeyChangeoverTest}'s.
 */
class CaKeyChangeoverIT {

    private static final String PASSWORD = "Root2026pass";

    @TempDir
    static Path tmp;

    private static Path data;
    private static Path passwordFile;
    private static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        Path config = ServerProcess.config(tmp,
                yaml -> yaml.replace("  # initialAdminPassword: ...", "  initialAdminPassword: " + PASSWORD));
        data = tmp.resolve("data");
        server = ServerProcess.serve(data, "--config", config.toString());
        passwordFile = tmp.resolve("password");
        Files.writeString(passwordFile, PASSWORD);
        server.addOperator(config, "clerk1", "ENTRY_CLERK", passwordFile);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aCaAdminRollsTheIssuingCaAndTheNewCertificateIsPublishedBesideTheOld() throws Exception {
        ApiClient api = server.api(PASSWORD);
        X509Certificate old = Pem.parseCertificate(api.bytes(null, "/ca/sm2-issuing.crt"));
        X509Certificate root = Pem.parseCertificate(api.bytes(null, "/ca/sm2-root.crt"));

        HttpResponse<byte[]> refused = api.post("clerk1", "/api/v1/cas/sm2-issuing/changeover", "application/json",
                new byte[0]);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(ApiClient.text(refused)).contains("CA_ADMIN");

        ServerProcess changeover = cli("ca", "changeover", "--ca", "sm2-issuing");
        assertThat(changeover.awaitExit(Duration.ofSeconds(60))).as(changeover.output()).isZero();
        assertThat(changeover.output()).contains("\"keyStoreAlias\"").contains("sm2-issuing.key.")
                .contains("at the next start");

        List<X509Certificate> published = certificates(api.bytes(null, "/ca/sm2-issuing-keys.p7c"));
        assertThat(published).hasSize(2).contains(old);
        X509Certificate renewed = published.stream().filter(c -> !c.equals(old)).findFirst().orElseThrow();
        assertThat(renewed.getSubjectX500Principal()).isEqualTo(old.getSubjectX500Principal());
        assertThat(renewed.getPublicKey()).isNotEqualTo(old.getPublicKey());
        renewed.verify(root.getPublicKey(), BouncyCastle.PROVIDER);
        assertThat(Pem.parseCertificate(api.bytes(null, "/ca/sm2-issuing.crt"))).as("the old key issues until the "
                + "next start").isEqualTo(old);

        ServerProcess again = cli("ca", "changeover", "--ca", "sm2-issuing");
        assertThat(again.awaitExit(Duration.ofSeconds(60))).as("409 exits 3").isEqualTo(3);
        assertThat(again.output()).contains("already made");
    }

    private static ServerProcess cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--user", "admin", "--password-file", passwordFile.toString(), "--url", server.baseUrl()));
        return ServerProcess.launch(data, all.toArray(String[]::new));
    }

    private static List<X509Certificate> certificates(byte[] p7c) throws Exception {
        List<X509Certificate> certificates = new ArrayList<>();
        for (X509CertificateHolder holder : new CMSSignedData(p7c).getCertificates().getMatches(null)) {
            certificates.add(Pem.parseCertificate(holder.getEncoded()));
        }
        return certificates;
    }
}
