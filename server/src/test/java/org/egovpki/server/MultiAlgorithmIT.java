package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
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
        Path config = ServerProcess.config(tmp, yaml -> yaml.replace("enabled: false", "enabled: true"));

        try (ServerProcess server = ServerProcess.serve(tmp.resolve("data"), "--config", config.toString())) {
            ApiClient http = server.api("");
            List<String> names = new ArrayList<>();
            try (LDAPConnection anonymous = server.anonymous()) {
                for (SearchResultEntry entry : anonymous.search("ou=CAs,o=egov-pki,c=CN", SearchScope.ONE,
                        "(objectClass=pkiCA)", "cn", "egovKeyAlgorithm").getSearchEntries()) {
                    names.add(entry.getAttributeValue("cn") + ":" + entry.getAttributeValue("egovKeyAlgorithm"));
                }
            }
            assertThat(names).containsExactlyInAnyOrder("sm2-root:SM2", "sm2-issuing:SM2", "rsa-root:RSA",
                    "rsa-issuing:RSA", "ec-root:EC", "ec-issuing:EC");

            for (String chain : List.of("rsa", "ec")) {
                Path root = download(http, "/ca/" + chain + "-root.pem", chain + "-root.pem");
                Path issuing = download(http, "/ca/" + chain + "-issuing.pem", chain + "-issuing.pem");
                X509Certificate issuingCert = Pem.parseCertificate(
                        get(http, "/ca/" + chain + "-issuing.crt"));
                issuingCert.verify(Pem.parseCertificate(get(http, "/ca/" + chain + "-root.crt")).getPublicKey(),
                        BouncyCastle.PROVIDER);

                assumeThat(Tools.openSsl()).as("openssl on PATH").isTrue();
                assertThat(Tools.run("openssl", "verify", "-CAfile", root.toString(), issuing.toString()))
                        .contains(issuing + ": OK");
                Path crl = tmp.resolve(chain + "-issuing.crl");
                Files.write(crl, get(http, "/crl/" + chain + "-issuing.crl"));
                assertThat(Tools.run("openssl", "crl", "-inform", "DER", "-in", crl.toString(), "-CAfile",
                        issuing.toString(), "-noout")).contains("verify OK");
            }
        }
    }

    private Path download(ApiClient http, String path, String file) throws Exception {
        Path target = tmp.resolve(file);
        Files.write(target, get(http, path));
        return target;
    }

    /** An anonymous GET that must answer 200. */
    private static byte[] get(ApiClient http, String path) throws Exception {
        return http.bytes(null, path);
    }

}
