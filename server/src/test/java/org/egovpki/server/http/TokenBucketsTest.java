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

    @Test
    void anIpv6ClientIsLimitedByItsSlash64SoRotatingAddressesInsideItDoesNotEscape() {
        TokenBuckets buckets = new TokenBuckets(Clock.fixed(java.time.Instant.EPOCH, java.time.ZoneOffset.UTC), 1,
                1, 10);

        assertThat(buckets.take("2001:db8:1:2::1")).isEmpty();
        assertThat(buckets.take("2001:db8:1:2:ffff:ffff:ffff:fffe")).as("same /64").isPresent();
        assertThat(buckets.take("[2001:0DB8:1:2::9%eth0]")).as("same /64, other spelling").isPresent();
        assertThat(buckets.take("2001:db8:1:3::1")).as("another /64").isEmpty();
        assertThat(buckets.take("10.0.0.1")).isEmpty();
        assertThat(buckets.take("::ffff:10.0.0.1")).as("IPv4-mapped: the IPv4 address").isPresent();
    }

    @Test
    void theClientKeyOfAnAddress() {
        assertThat(TokenBuckets.clientKey("2001:db8:1:2:3:4:5:6")).isEqualTo("2001:db8:1:2::/64");
        assertThat(TokenBuckets.clientKey("::1")).isEqualTo("0:0:0:0::/64");
        assertThat(TokenBuckets.clientKey("192.0.2.7")).isEqualTo("192.0.2.7");
        assertThat(TokenBuckets.clientKey("other")).isEqualTo("other");
    }
}
