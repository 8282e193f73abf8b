package org.egovpki.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code egov-pki directory prepare-openldap-provider} and {@code prepare-openldap-replica} write their LDIFs
 * (mode 0600, the replicator's secret only where syncrepl needs it) and refuse what would put it on the network
 * in clear, writing nothing. {@code OpenLdapReplicaIT} (directory) applies the same LDIFs to real slapds.
 */
class DirectoryReplicaCommandsTest {

    private static final String PASSWORD = "replicator-password+0123456789=";

    @TempDir
    Path dir;

    private Path passwordFile() throws Exception {
        Path file = dir.resolve("replicator.password");
        Files.writeString(file, PASSWORD + "\n", StandardCharsets.UTF_8);
        return file;
    }

    private record Result(int exit, String err) {
    }

    private static Result run(String... args) {
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), args);
        return new Result(exit, err.toString());
    }

    @Test
    void theReplicaLdifCarriesTheSyncreplOfThePublicPart() throws Exception {
        Path out = dir.resolve("replica.ldif");
        Result result = run("directory", "prepare-openldap-replica", "--provider-url", "ldaps://ldap-master.example:636",
                "--tls-ca-file", "/etc/ldap/provider-ca.pem", "--replicator-password-file", passwordFile().toString(),
                "--out", out.toString());

        assertThat(result.exit).as(result.err).isZero();
        assertThat(Files.getPosixFilePermissions(out)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(out)).contains("olcSuffix: o=egov-pki,c=CN",
                "provider=ldaps://ldap-master.example:636", "credentials=\"" + PASSWORD + "\"",
                "tls_cacert=\"/etc/ldap/provider-ca.pem\"", "filter=\"(|(objectClass=egovPublishedSubscriber)",
                "olcUpdateRef: ldaps://ldap-master.example:636");
    }

    @Test
    void plainLdapToAnotherHostIsRefusedAndNothingWritten() throws Exception {
        Path out = dir.resolve("replica.ldif");
        Result result = run("directory", "prepare-openldap-replica", "--provider-url", "ldap://ldap-master.example:389",
                "--replicator-password-file", passwordFile().toString(), "--out", out.toString());

        assertThat(result.exit).isEqualTo(Main.EXIT_STARTUP);
        assertThat(result.err).contains("use ldaps:// or StartTLS for ldap://ldap-master.example:389");
        assertThat(out).doesNotExist();
    }

    @Test
    void theProviderLdifHashesThePassword() throws Exception {
        Path out = dir.resolve("provider.ldif");
        Result result = run("directory", "prepare-openldap-provider", "--replicator-password-file",
                passwordFile().toString(), "--out", out.toString());

        assertThat(result.exit).as(result.err).isZero();
        assertThat(Files.readString(out)).contains("olcModuleLoad: syncprov", "olcOverlay: syncprov",
                "dn: uid=egov-pki-replicator,ou=services,o=egov-pki,c=CN", "userPassword: {SSHA256}")
                .doesNotContain(PASSWORD);
    }
}
