package org.egovpki.directory.openldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import org.egovpki.directory.DirectoryNames;
import org.egovpki.directory.LockoutPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the replica and provider LDIFs refuse, and what carries the privacy rules into them. */
class OpenLdapReplicationTest {

    private static final DirectoryNames NAMES = new DirectoryNames("o=egov-pki,c=CN");
    private static final char[] PASSWORD = "replicator-password-0123456789".toCharArray();

    private static OpenLdapReplication.Replica replica(String url, boolean startTls) {
        return new OpenLdapReplication.Replica(NAMES, 2, "/var/lib/ldap/egov-pki", 1L << 30,
                OpenLdapPreparation.HOST_ROOT, url, startTls, null);
    }

    @Test
    void plainLdapToAnotherHostIsRefused() {
        assertThatThrownBy(() -> replica("ldap://ldap-master.example.gov.cn:389", false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ldaps:// or StartTLS");
        assertThat(replica("ldap://ldap-master.example.gov.cn:389", true).syncrepl(PASSWORD))
                .contains("starttls=critical", "tls_reqcert=demand");
        assertThat(replica("ldaps://ldap-master.example.gov.cn:636", false).syncrepl(PASSWORD))
                .contains("tls_reqcert=demand").doesNotContain("starttls");
        assertThatThrownBy(() -> replica("ldaps://ldap-master.example.gov.cn:636", true))
                .hasMessageContaining("already TLS");
        assertThatThrownBy(() -> replica("http://ldap-master.example.gov.cn/", false))
                .hasMessageContaining("ldap://host:port or ldaps://host:port");
    }

    @ParameterizedTest(name = "password \"{0}\"")
    @ValueSource(strings = {"short", "has a space in it 0123456789", "has\"a-quote-0123456789",
            "has\\a-backslash-0123456789"})
    void aPasswordSyncreplCannotCarryIsRefused(String password) {
        assertThatThrownBy(() -> replica("ldap://127.0.0.1:389", false).ldif(password.toCharArray()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("replicator's password");
    }

    @Test
    void theReplicaAsksOnlyForPublicClassesAndKeepsTheProvidersRules() {
        String ldif = replica("ldap://127.0.0.1:389", false).ldif(PASSWORD);

        assertThat(ldif).contains("filter=\"" + OpenLdapReplication.PUBLIC_FILTER + "\"",
                "binddn=\"uid=egov-pki-replicator,ou=services,o=egov-pki,c=CN\"", "olcUpdateRef: ldap://127.0.0.1:389",
                new OpenLdapAccessRules(NAMES).ldif());
    }

    @Test
    void docsDirectoryShowsTheProviderRulesAsInstalled() throws java.io.IOException {
        String docs = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "directory.md"),
                java.nio.charset.StandardCharsets.UTF_8);
        OpenLdapReplication replication = new OpenLdapReplication(NAMES);

        assertThat(docs).contains("```\nolcAccess: " + replication.syncAttributesRule() + "\nolcAccess: "
                + replication.subscriberNamesRule() + "\n```");
    }

    @Test
    void theProviderRulesGoFirstAndEndInBreak() {
        OpenLdapPreparation preparation = new OpenLdapPreparation(NAMES, 2, "/var/lib/ldap/egov-pki", 1L << 30,
                OpenLdapPreparation.HOST_ROOT, new LockoutPolicy(3, Duration.ofMinutes(1), Duration.ofMinutes(1)));
        String ldif = new OpenLdapReplication(NAMES).providerLdif(preparation, PASSWORD, new SecureRandom());

        assertThat(ldif).contains("olcAccess: {0}to attrs=entryUUID,entryCSN", "olcAccess: {1}to dn.one=\"ou=subscribers,")
                .contains("userPassword: {SSHA256}").doesNotContain(new String(PASSWORD));
        assertThat(ldif.split("by \\* break", -1)).hasSize(3);
        assertThatThrownBy(() -> new OpenLdapReplication(new DirectoryNames("o=other,c=CN"))
                .providerLdif(preparation, PASSWORD, new SecureRandom())).hasMessageContaining("o=egov-pki,c=CN");
    }
}
