package org.egovpki.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final Duration ONE = Duration.ofSeconds(1);
    private static final Duration MAX = Duration.ofSeconds(300);

    @Test
    void doublesFromTheInitialDelayWithinEqualJitterAndStopsAtTheMaximum() {
        Backoff lowest = new Backoff(ONE, MAX, () -> 0.0);
        Backoff highest = new Backoff(ONE, MAX, () -> 0.999999);

        assertThat(lowest.delay(1, null)).isEqualTo(Duration.ofMillis(500));
        assertThat(highest.delay(1, null)).isEqualTo(Duration.ofMillis(999));
        assertThat(lowest.delay(4, null)).isEqualTo(Duration.ofSeconds(4));
        assertThat(highest.delay(4, null)).isEqualTo(Duration.ofMillis(7999));
        assertThat(lowest.delay(10, null)).isEqualTo(Duration.ofSeconds(150));
        assertThat(highest.delay(10, null)).isLessThan(MAX);
        assertThat(highest.delay(1_000, null)).isLessThanOrEqualTo(MAX).isGreaterThan(Duration.ofSeconds(299));
    }

    @Test
    void honoursRetryAfterUpToTheMaximumWithoutJitter() {
        Backoff backoff = new Backoff(ONE, MAX, () -> 0.5);

        assertThat(backoff.delay(1, Duration.ofSeconds(42))).isEqualTo(Duration.ofSeconds(42));
        assertThat(backoff.delay(1, Duration.ofHours(2))).isEqualTo(MAX);
        assertThat(backoff.delay(3, Duration.ofSeconds(-5))).isEqualTo(Duration.ZERO);
    }

    @Test
    void refusesDelaysThatCannotWork() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, MAX, () -> 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initialDelay");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(10), ONE, () -> 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDelay");
    }
}
