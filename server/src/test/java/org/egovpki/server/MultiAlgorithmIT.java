package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.x509.Pem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 003 runs RSA and SM2 CAs side by side: with every chain of the shipped configuration
 * enabled, the server operates six CAs, and OpenSSL verifies the RSA and ECDSA chains with no
 * extra options and their CRLs against the issuing CA.
 */
class MultiAlgorithmIT {

    @TempDir
    Path tmp;

    @Test
    void rsaAndEcdsaChainsRunBesideSm2AndVerifyInOpenSsl() throws Exception {
        Path config = tmp.resolve("all-chains.yaml");
        Files.writeString(config, Files.readString(Path.of("..", "conf", "egov-pki.yaml"))
                .replace("enabled: false", "enabled: true"));
        int ldapPort = ServerProcess.freePort();
        int httpPort = ServerProcess.freePort();

        try (ServerProcess server = ServerProcess.serve(tmp.resolve("data"), ldapPort, httpPort,
                "--config", config.toString())) {
            List<String> names = new ArrayList<>();
            try (LDAPConnection anonymous = new LDAPConnection("127.0.0.1", ldapPort)) {
                for (SearchResultEntry entry : anonymous.search("ou=CAs,o=egov-pki,c=CN", SearchScope.ONE,
                        "(objectClass=pkiCA)", "cn", "egovKeyAlgorithm").getSearchEntries()) {
                    names.add(entry.getAttributeValue("cn") + ":" + entry.getAttributeValue("egovKeyAlgorithm"));
                }
            }
            assertThat(names).containsExactlyInAnyOrder("sm2-root:SM2", "sm2-issuing:SM2", "rsa-root:RSA",
                    "rsa-issuing:RSA", "ec-root:EC", "ec-issuing:EC");

            for (String chain : List.of("rsa", "ec")) {
                Path root = download(httpPort, "/ca/" + chain + "-root.pem", chain + "-root.pem");
                Path issuing = download(httpPort, "/ca/" + chain + "-issuing.pem", chain + "-issuing.pem");
                X509Certificate issuingCert = Pem.parseCertificate(
                        get(httpPort, "/ca/" + chain + "-issuing.crt"));
                issuingCert.verify(Pem.parseCertificate(get(httpPort, "/ca/" + chain + "-root.crt")).getPublicKey(),
                        BouncyCastle.PROVIDER);

                assumeThat(Tools.openSsl()).as("openssl on PATH").isTrue();
                assertThat(Tools.run("openssl", "verify", "-CAfile", root.toString(), issuing.toString()))
                        .contains(issuing + ": OK");
                Path crl = tmp.resolve(chain + "-issuing.crl");
                Files.write(crl, get(httpPort, "/crl/" + chain + "-issuing.crl"));
                assertThat(Tools.run("openssl", "crl", "-inform", "DER", "-in", crl.toString(), "-CAfile",
                        issuing.toString(), "-noout")).contains("verify OK");
            }
        }
    }

    private Path download(int port, String path, String file) throws IOException, InterruptedException {
        Path target = tmp.resolve(file);
        Files.write(target, get(port, path));
        return target;
    }

    private static byte[] get(int port, String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

}
