package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.egovpki.directory.DirectoryNames;
import org.egovpki.directory.LockoutPolicy;
import org.egovpki.directory.openldap.OpenLdapPreparation;
import org.egovpki.directory.openldap.Slapd;
import org.egovpki.server.config.EgovPkiConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service accounts' connections to an external directory over TLS, against a real slapd with a
 * self-signed certificate for 127.0.0.1: LDAPS and StartTLS with the configured trust store work and
 * are encrypted; another certificate, a host name the certificate does not name, or a trust store
 * without certificates are refused before any password is sent.
 */
class ExternalDirectoryTlsIT {

    private static final DirectoryNames NAMES = new DirectoryNames("o=egov-pki,c=CN");
    private static final String CA_PASSWORD = "ca-service-password-for-tls-0123";

    @TempDir
    static Path tmp;
    private static Slapd slapd;
    private static Path trustStore;
    private static Path trustPassword;
    private static Path caFile;

    @BeforeAll
    static void start() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("slapd"));
        slapd = Slapd.startFresh(work, true);
        Path ldif = tmp.resolve("prepare.ldif");
        Files.writeString(ldif, new OpenLdapPreparation(NAMES, 2, Slapd.databaseDirectory(work).toString(),
                OpenLdapPreparation.DEFAULT_MAX_SIZE, Slapd.peercredDn(), LockoutPolicy.DEFAULT)
                .ldif(CA_PASSWORD.toCharArray(), "km-service-password-for-tls-0123".toCharArray(), new SecureRandom()));
        slapd.ldapmodify(work, ldif);
        caFile = Files.writeString(tmp.resolve("ca.password"), CA_PASSWORD + "\n");
        trustPassword = Files.writeString(tmp.resolve("trust.password"), "trust-pw\n");
        trustStore = trustStore("trust.p12", certificate(Slapd.tlsCertificate(work)));
    }

    @AfterAll
    static void stop() {
        if (slapd != null) {
            slapd.close();
        }
    }

    private static X509Certificate certificate(Path pem) throws Exception {
        try (var in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static Path trustStore(String name, X509Certificate... certificates) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < certificates.length; i++) {
            store.setCertificateEntry("ca" + i, certificates[i]);
        }
        Path file = tmp.resolve(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, "trust-pw".toCharArray());
        }
        return file;
    }

    private static EgovPkiConfig.ExternalDirectory external(String url, boolean startTls, Path store) {
        return new EgovPkiConfig.ExternalDirectory(List.of(URI.create(url)), startTls, store, trustPassword, caFile,
                caFile);
    }

    private static LDAPConnectionPool caPool(EgovPkiConfig.ExternalDirectory external) {
        return DirectoryServers.external(external).pool(NAMES.caServiceAccount(), CA_PASSWORD.toCharArray(), "test",
                "CA");
    }

    @Test
    void ldapsWithTheTrustStoreBindsTheCaAccountOverTls() throws Exception {
        try (LDAPConnectionPool pool = caPool(external("ldaps://127.0.0.1:" + slapd.ldapsPort(), false, trustStore))) {
            assertThat(pool.getEntry("ou=CAs," + NAMES.base())).isNotNull();
            LDAPConnection connection = pool.getConnection();
            try {
                assertThat(connection.getSSLSession()).as("an encrypted connection").isNotNull();
            } finally {
                pool.releaseConnection(connection);
            }
        }
    }

    @Test
    void startTlsOnTheLdapPortBindsOverTls() throws Exception {
        try (LDAPConnectionPool pool = caPool(external("ldap://127.0.0.1:" + slapd.port(), true, trustStore))) {
            assertThat(pool.getEntry("ou=CAs," + NAMES.base())).isNotNull();
            LDAPConnection connection = pool.getConnection();
            try {
                assertThat(connection.getSSLSession()).as("StartTLS done before the bind").isNotNull();
            } finally {
                pool.releaseConnection(connection);
            }
        }
    }

    @Test
    void aCertificateTheTrustStoreDoesNotHoldIsRefused() throws Exception {
        Path other = Files.createDirectories(tmp.resolve("other"));
        new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", other.resolve("k.pem").toString(), "-out", other.resolve("c.pem").toString(), "-days", "2",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1").inheritIO().start().waitFor();
        Path wrong = trustStore("wrong.p12", certificate(other.resolve("c.pem")));

        assertThatThrownBy(() -> caPool(external("ldaps://127.0.0.1:" + slapd.ldapsPort(), false, wrong)))
                .isInstanceOf(StartupException.class).hasMessageContaining("cannot bind to the directory ldaps://");
        assertThatThrownBy(() -> caPool(external("ldap://127.0.0.1:" + slapd.port(), true, wrong)))
                .isInstanceOf(StartupException.class).hasMessageContaining("(StartTLS)");
    }

    @Test
    void aHostNameTheCertificateDoesNotNameIsRefused() {
        assertThatThrownBy(() -> caPool(external("ldaps://localhost:" + slapd.ldapsPort(), false, trustStore)))
                .isInstanceOf(StartupException.class).hasMessageContaining("ldaps://localhost");
    }

    @Test
    void aTrustStoreWithoutCertificatesIsNamed() throws Exception {
        Path empty = trustStore("empty.p12");

        assertThatThrownBy(() -> caPool(external("ldaps://127.0.0.1:" + slapd.ldapsPort(), false, empty)))
                .isInstanceOf(StartupException.class).hasMessageContaining("ldap.external.trustStore")
                .hasMessageContaining("holds no trusted certificate");
    }
}
