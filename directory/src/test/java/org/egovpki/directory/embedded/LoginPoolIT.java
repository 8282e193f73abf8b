package org.egovpki.directory.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.SingleServerSet;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.egovpki.core.enroll.OperatorLogin;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;
import org.egovpki.directory.LdapOperatorCertificateBindings;
import org.egovpki.directory.LdapOperatorDirectory;
import org.egovpki.directory.LockoutPolicy;
import org.egovpki.directory.TestDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operator logins on a pool kept for them ({@link LdapOperatorDirectory#loginPool}), against the real
 * embedded directory: one connection serves logins of different operators, right and wrong passwords
 * in turn, each login one bind as the operator and none back to a service account.
 */
class LoginPoolIT {

    @TempDir
    static Path work;

    private static TestDirectory directory;
    private static LDAPConnectionPool logins;
    private static LdapOperatorDirectory operators;

    @BeforeAll
    static void start() throws Exception {
        directory = TestDirectory.start(work);
        directory.operators().create("pool-a", "Operator A", EnumSet.of(Role.REVIEWER), "pw-A-12345678".toCharArray());
        directory.operators().create("pool-b", "Operator B", EnumSet.of(Role.ENTRY_CLERK),
                "pw-B-12345678".toCharArray());
        // One connection, so every login below runs on the connection the previous one left bound.
        logins = new LDAPConnectionPool(new SingleServerSet("127.0.0.1", directory.port()), null, 1, 1);
        operators = new LdapOperatorDirectory(directory.ca(), directory.names(), LdapOperatorDirectory.loginPool(logins),
                new SecureRandom(), LockoutPolicy.DEFAULT);
    }

    @AfterAll
    static void stop() {
        if (logins != null) {
            logins.close();
        }
        if (directory != null) {
            directory.close();
        }
    }

    @Test
    void loginsOfDifferentOperatorsShareAConnectionWithOneBindEach() {
        Map<String, Long> before = directory.readsByKind();

        assertThat(operators.authenticate("pool-a", "pw-A-12345678".toCharArray())).map(Operator::uid)
                .contains("pool-a");
        assertThat(operators.authenticate("pool-b", "pw-A-12345678".toCharArray())).as("B with A's password")
                .isEmpty();
        assertThat(operators.authenticate("pool-b", "pw-B-12345678".toCharArray())).map(Operator::uid)
                .contains("pool-b");
        assertThat(operators.authenticate("pool-absent", "pw-B-12345678".toCharArray())).isEmpty();
        assertThat(operators.authenticate("pool-a", "pw-A-12345678".toCharArray())).map(Operator::roles)
                .contains(EnumSet.of(Role.REVIEWER));

        Map<String, Long> after = directory.readsByKind();
        assertThat(delta(before, after, "bind uid ou=operators")).isEqualTo(5);
        assertThat(delta(before, after, "bind uid ou=services")).as("binds back to a service account").isZero();
        assertThat(logins.getConnectionPoolStatistics().getNumConnectionsClosedDefunct())
                .as("a refused login leaves the connection usable").isZero();
    }

    @Test
    void aLoginReadsTheEntryOnceForTheAccountAndTheBoundCertificate() throws Exception {
        operators.create("pool-c", "Operator C", EnumSet.of(Role.CA_ADMIN), Set.of(), "pw-C-12345678".toCharArray(),
                true, Instant.parse("2026-12-01T08:00:00Z"));
        new LdapOperatorCertificateBindings(directory.ca(), directory.names()).bind("pool-c", "sm2-issuing-1a2b");
        Map<String, Long> before = directory.readsByKind();

        OperatorLogin login = operators.login("pool-c", "pw-C-12345678".toCharArray()).orElseThrow();

        assertThat(login.operator().roles()).containsExactly(Role.CA_ADMIN);
        assertThat(login.account().passwordMustChange()).isTrue();
        assertThat(login.account().passwordChangedAt()).isEqualTo(Instant.parse("2026-12-01T08:00:00Z"));
        assertThat(login.boundCertificate()).contains("sm2-issuing-1a2b");
        Map<String, Long> after = directory.readsByKind();
        assertThat(delta(before, after, "bind uid ou=operators")).isEqualTo(1);
        assertThat(delta(before, after, "search base uid ou=operators (objectClass=*)")).isEqualTo(1);

        operators.setEnabled("pool-c", false);
        assertThat(operators.login("pool-c", "pw-C-12345678".toCharArray())).as("disabled").isEmpty();
    }

    private static long delta(Map<String, Long> before, Map<String, Long> after, String kind) {
        return after.getOrDefault(kind, 0L) - before.getOrDefault(kind, 0L);
    }
}
