package org.egovpki.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

public class TokenBucketsTest {

    /** A clock the test moves (also the web pages' tests'). */
    public static final class MovingClock extends Clock {
        private Instant now = Instant.parse("2026-12-01T00:00:00Z");

        public void advance(Duration d) {
            now = now.plus(d);
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
        public Instant instant() {
            return now;
        }
    }

    private final MovingClock clock = new MovingClock();

    @Test
    void aClientGetsItsBurstThenWaitsForTheRefill() {
        TokenBuckets buckets = new TokenBuckets(clock, 6, 3, 100);
        assertThat(buckets.take("10.0.0.1")).isEmpty();
        assertThat(buckets.take("10.0.0.1")).isEmpty();
        assertThat(buckets.take("10.0.0.1")).isEmpty();
        assertThat(buckets.take("10.0.0.1")).as("6 per minute: one token every 10 s").contains(Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(4));
        assertThat(buckets.take("10.0.0.1")).contains(Duration.ofSeconds(6));
        clock.advance(Duration.ofSeconds(6));
        assertThat(buckets.take("10.0.0.1")).isEmpty();
        assertThat(buckets.take("10.0.0.1")).isPresent();
    }

    @Test
    void clientsAreCountedApart() {
        TokenBuckets buckets = new TokenBuckets(clock, 1, 1, 100);
        assertThat(buckets.take("10.0.0.1")).isEmpty();
        assertThat(buckets.take("10.0.0.1")).isPresent();
        assertThat(buckets.take("10.0.0.2")).isEmpty();
    }

    @Test
    void aFullTableDropsTheClientsThatAreNotLimitedFirst() {
        TokenBuckets buckets = new TokenBuckets(clock, 1, 1, 2);
        assertThat(buckets.take("limited")).isEmpty();
        clock.advance(Duration.ofMinutes(2));
        assertThat(buckets.take("other")).isEmpty();
        assertThat(buckets.take("other")).as("limited now").isPresent();
        assertThat(buckets.take("third")).as("'limited' has refilled and makes room").isEmpty();
        assertThat(buckets.take("other")).as("still limited: not dropped").isPresent();
    }

    @Test
    void nonsenseLimitsAreRefused() {
        assertThatThrownBy(() -> new TokenBuckets(clock, 0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
