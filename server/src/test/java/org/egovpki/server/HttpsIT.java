package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator API over HTTPS (http.tls.*), so Basic credentials need not cross a network in clear. */
class HttpsIT {

    @TempDir
    Path tmp;

    @Test
    void theApiAnswersOverHttpsWithTheConfiguredKey() throws Exception {
        Path keyStore = tmp.resolve("https.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "https", "-keyalg", "EC", "-groupname", "secp256r1", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", "changeit1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=IP:127.0.0.1", "-validity", "30").redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        Path config = tmp.resolve("https.yaml");
        // Port 0: the server binds a free port and names it in its ports file.
        Files.writeString(config, "http:\n  tls:\n    port: 0\n    keyStore: " + keyStore
                + "\n    keyStorePassword: changeit1\nenrollment:\n  initialAdminPassword: Https2026pw\n");

        try (ServerProcess server = ServerProcess.serve(tmp.resolve("data"), "--config", config.toString())) {
            int tlsPort = server.httpsPort;
            assertThat(tlsPort).as("the HTTPS port in the ports file").isPositive();
            KeyStore trust = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keyStore)) {
                trust.load(in, "changeit1".toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            HttpClient https = HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();

            HttpResponse<String> response = https.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + tlsPort + "/api/v1/requests"))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            "admin:Https2026pw".getBytes(StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).contains("\"requests\"");
            assertThat(server.output()).contains("https://127.0.0.1:" + tlsPort);
        }
    }

}
