package org.egovpki.directory.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.enroll.OperatorLockedOut;
import org.egovpki.core.operator.Role;
import org.egovpki.directory.LdapOperatorDirectory;
import org.egovpki.directory.LockoutPolicy;
import org.egovpki.directory.TestDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The directory's password policy locks an operator after {@code maxFailures} failed binds,
 * counted together over the LDAP port and through {@link LdapOperatorDirectory#authenticate} (the
 * REST API's login), refuses even the right password while locked, lets it in again once the lock
 * has run out (on the directory's injected clock, no waiting), audits the lock, and never locks the
 * service accounts.
 */
class LockoutIT {

    private static final LockoutPolicy POLICY = new LockoutPolicy(3, Duration.ofMinutes(10), Duration.ofMinutes(10));

    @TempDir
    static Path work;

    private static final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T08:00:00Z"));
    private static TestDirectory directory;
    private static LdapOperatorDirectory operators;

    @BeforeAll
    static void start() throws Exception {
        directory = TestDirectory.start(work, POLICY, clock);
        operators = directory.operators();
    }

    @AfterAll
    static void stop() {
        if (directory != null) {
            directory.close();
        }
    }

    @Test
    void wrongLdapBindsLockTheOperatorForLdapAndRestUntilTheLockRunsOut() throws Exception {
        directory.operator("clerk01", Role.ENTRY_CLERK);
        String dn = directory.operatorDn("clerk01").toString();
        String password = TestDirectory.operatorPassword("clerk01");
        Instant lockedAt = clock.instant();

        for (int i = 0; i < POLICY.maxFailures(); i++) {
            assertThat(bind(dn, "wrong-password-" + i)).isEqualTo(ResultCode.INVALID_CREDENTIALS);
        }

        assertThat(bind(dn, password)).isEqualTo(ResultCode.INVALID_CREDENTIALS);
        OperatorLockedOut locked = catchThrowableOfType(OperatorLockedOut.class,
                () -> operators.authenticate("clerk01", password.toCharArray()));
        assertThat(locked).isNotNull();
        assertThat(locked.until()).isBetween(lockedAt.truncatedTo(ChronoUnit.SECONDS).plus(POLICY.duration()),
                clock.instant().plus(POLICY.duration()));
        // Audited off the bind's thread (BindGuard): wait for it.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> directory.audited().stream().anyMatch(e -> e.subjects().contains(dn)));
        assertThat(directory.audited()).filteredOn(e -> e.subjects().contains(dn))
                .singleElement().satisfies(event -> {
                    assertThat(event.type()).isEqualTo(AuditEventType.ACCOUNT_LOCKED_OUT);
                    assertThat(event.details()).containsEntry("lockedUntil", locked.until().toString())
                            .containsEntry("failedBinds", "3");
                });

        clock.advance(POLICY.duration().minusSeconds(5));
        assertThat(bind(dn, password)).isEqualTo(ResultCode.INVALID_CREDENTIALS);

        clock.advance(Duration.ofSeconds(6));
        assertThat(bind(dn, password)).isEqualTo(ResultCode.SUCCESS);
        assertThat(operators.authenticate("clerk01", password.toCharArray())).isPresent();
    }

    @Test
    void restLoginsAndLdapBindsShareOneCount() throws Exception {
        directory.operator("clerk02", Role.ENTRY_CLERK);
        String dn = directory.operatorDn("clerk02").toString();
        String password = TestDirectory.operatorPassword("clerk02");

        assertThat(operators.authenticate("clerk02", "wrong-1".toCharArray())).isEmpty();
        assertThat(operators.authenticate("clerk02", "wrong-2".toCharArray())).isEmpty();
        assertThat(bind(dn, "wrong-3")).isEqualTo(ResultCode.INVALID_CREDENTIALS);

        assertThatThrownBy(() -> operators.authenticate("clerk02", password.toCharArray()))
                .isInstanceOf(OperatorLockedOut.class).hasMessageContaining("clerk02");
        assertThat(bind(dn, password)).isEqualTo(ResultCode.INVALID_CREDENTIALS);
        clock.advance(POLICY.duration().plusSeconds(1));
        assertThat(operators.authenticate("clerk02", password.toCharArray())).isPresent();
    }

    /** Someone guessing learns nothing from a lock: a wrong password reads the same, locked or not, login or not. */
    @Test
    void aWrongPasswordOnALockedAccountReadsLikeAnyWrongLogin() throws Exception {
        directory.operator("clerk03", Role.ENTRY_CLERK);
        for (int i = 0; i < POLICY.maxFailures(); i++) {
            assertThat(operators.authenticate("clerk03", ("wrong-" + i).toCharArray())).isEmpty();
        }
        assertThat(operators.authenticate("clerk03", "still-wrong".toCharArray())).isEmpty();
        assertThat(operators.authenticate("nobody03", "still-wrong".toCharArray())).isEmpty();
        LDAPException lockedWrong = failure(directory.operatorDn("clerk03").toString(), "still-wrong");
        LDAPException absentWrong = failure(directory.operatorDn("nobody03").toString(), "still-wrong");
        assertThat(lockedWrong.getResultCode()).isEqualTo(absentWrong.getResultCode());
        assertThat(lockedWrong.getDiagnosticMessage().replace("clerk03", "x"))
                .isEqualTo(absentWrong.getDiagnosticMessage().replace("nobody03", "x"));
        clock.advance(POLICY.duration().plusSeconds(1));
    }

    @Test
    void failuresOutsideTheWindowDoNotAddUp() throws Exception {
        directory.operator("clerk04", Role.ENTRY_CLERK);
        String dn = directory.operatorDn("clerk04").toString();
        assertThat(bind(dn, "wrong-1")).isEqualTo(ResultCode.INVALID_CREDENTIALS);
        assertThat(bind(dn, "wrong-2")).isEqualTo(ResultCode.INVALID_CREDENTIALS);
        clock.advance(POLICY.failureWindow().plusSeconds(1));
        assertThat(bind(dn, "wrong-3")).isEqualTo(ResultCode.INVALID_CREDENTIALS);
        assertThat(bind(dn, TestDirectory.operatorPassword("clerk04"))).isEqualTo(ResultCode.SUCCESS);
    }

    /** Otherwise anyone who reaches the LDAP port could stop the CA or the KM by guessing. */
    @Test
    void serviceAccountsAreNeverLocked() throws Exception {
        for (String dn : new String[] {directory.names().caServiceAccount().toString(),
                directory.names().kmServiceAccount().toString()}) {
            for (int i = 0; i < POLICY.maxFailures() * 4; i++) {
                assertThat(bind(dn, "guess-" + i)).isEqualTo(ResultCode.INVALID_CREDENTIALS);
            }
            assertThat(directory.audited()).noneMatch(e -> e.subjects().contains(dn));
        }
        assertThat(directory.ca().getEntry(directory.names().base().toString())).isNotNull();
        assertThat(directory.km().getEntry(directory.names().km().toString())).isNotNull();
    }

    private static ResultCode bind(String dn, String password) {
        try (LDAPConnection connection = fresh()) {
            return connection.bind(dn, password).getResultCode();
        } catch (LDAPException e) {
            return e.getResultCode();
        }
    }

    private static LDAPException failure(String dn, String password) throws LDAPException {
        try (LDAPConnection connection = fresh()) {
            return catchThrowableOfType(LDAPException.class, () -> connection.bind(dn, password));
        }
    }

    private static LDAPConnection fresh() throws LDAPException {
        return new LDAPConnection("127.0.0.1", directory.port());
    }

    /**
     * The directory's clock, moved by the tests instead of waiting. It also ticks a millisecond per
     * reading, as a real clock would: failures at the very same instant are one value of the
     * multi-valued pwdFailureTime, so a frozen clock would never count past one.
     */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        synchronized void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public synchronized Instant instant() {
            now = now.plusMillis(1);
            return now;
        }
    }
}
