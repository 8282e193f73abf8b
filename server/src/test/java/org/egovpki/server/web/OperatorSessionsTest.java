package org.egovpki.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Set;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;
import org.egovpki.server.http.TokenBucketsTest;
import org.junit.jupiter.api.Test;

class OperatorSessionsTest {

    private static final Operator ADMIN = new Operator("admin", "uid=admin", "Admin", Set.of(Role.CA_ADMIN));
    private final TokenBucketsTest.MovingClock clock = new TokenBucketsTest.MovingClock();
    private final OperatorSessions sessions = new OperatorSessions(clock, new SecureRandom(), Duration.ofMinutes(15));

    @Test
    void aSessionIdIsRandomAndFindsItsOperator() {
        String first = sessions.open(ADMIN);
        String second = sessions.open(ADMIN);

        assertThat(first).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(second).doesNotContain("admin");
        assertThat(sessions.find(first)).contains(ADMIN);
    }

    @Test
    void anIdleSessionEndsAndUseMovesTheDeadline() {
        String used = sessions.open(ADMIN);
        String idle = sessions.open(ADMIN);

        clock.advance(Duration.ofMinutes(10));
        assertThat(sessions.find(used)).contains(ADMIN);
        clock.advance(Duration.ofMinutes(10));

        assertThat(sessions.find(used)).as("used 10 minutes ago").contains(ADMIN);
        assertThat(sessions.find(idle)).as("idle for 20 minutes").isEmpty();
        assertThat(sessions.size()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(15));
        assertThat(sessions.find(used)).isEmpty();
    }

    @Test
    void logoutEndsTheSessionAndUnknownOrMalformedIdsFindNothing() {
        String id = sessions.open(ADMIN);

        sessions.close(id);
        sessions.close(null);

        assertThat(sessions.find(id)).isEmpty();
        assertThat(sessions.find(null)).isEmpty();
        assertThat(sessions.find("admin")).isEmpty();
        assertThat(sessions.find("A".repeat(43))).isEmpty();
    }

    @Test
    void aNonPositiveIdleTimeoutIsRefused() {
        assertThatThrownBy(() -> new OperatorSessions(clock, new SecureRandom(), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idle timeout must be positive");
    }
}
