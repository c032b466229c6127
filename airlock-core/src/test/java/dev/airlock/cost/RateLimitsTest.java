package dev.airlock.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.decision.Stop;
import dev.airlock.time.FakeTime;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-key rate limits over this node's token buckets, on fake time: exact refusals, waits and refills. */
class RateLimitsTest {
    private final FakeTime time = new FakeTime();

    private RateLimits limits(long requestsPerMinute, long tokensPerMinute) {
        return new RateLimits(
                Map.of("k1", new RateLimits.Limit(requestsPerMinute, tokensPerMinute)),
                RateLimits.Limit.NONE,
                TokenBuckets.inMemory(time.ticker()),
                time.clock());
    }

    private static Stop refusal(Runnable call) {
        try {
            call.run();
        } catch (Stop.Stopped stopped) {
            return stopped.stop();
        }
        throw new AssertionError("the call was not refused");
    }

    @Test
    void aFullBucket_takesItsCapacity_thenRefusesWithTheExactWaitForTheNextToken() {
        RateLimits limits = limits(60, 0);
        for (int i = 0; i < 60; i++) {
            limits.acquire("k1", 0);
        }

        Stop stop = refusal(() -> limits.acquire("k1", 0));

        assertThat(stop.status()).isEqualTo(429);
        assertThat(stop.code()).isEqualTo("rate_limit_exceeded");
        assertThat(stop.retryAfter()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void theBucketRefillsContinuously_oneRequestPerSixtiethOfItsMinute() {
        RateLimits limits = limits(60, 0);
        for (int i = 0; i < 60; i++) {
            limits.acquire("k1", 0);
        }

        time.advance(Duration.ofMillis(999));
        assertThat(refusal(() -> limits.acquire("k1", 0)).retryAfter()).isEqualTo(Duration.ofMillis(1));
        time.advance(Duration.ofMillis(1));
        limits.acquire("k1", 0);
        assertThat(refusal(() -> limits.acquire("k1", 0)).retryAfter()).isEqualTo(Duration.ofSeconds(1));

        time.advance(Duration.ofMinutes(5));
        for (int i = 0; i < 60; i++) {
            limits.acquire("k1", 0);
        }
        assertThatThrownBy(() -> limits.acquire("k1", 0))
                .as("a bucket never holds more than its capacity")
                .isInstanceOf(Stop.Stopped.class);
    }

    @Test
    void tokensTaken_areCorrectedToWhatTheCallUsed() {
        RateLimits limits = limits(0, 1_000);
        RateLimits.Lease lease = limits.acquire("k1", 800);
        assertThat(refusal(() -> limits.acquire("k1", 300)).retryAfter())
                .as("100 tokens short at 1 000 a minute")
                .isEqualTo(Duration.ofSeconds(6));

        lease.settle(500);

        limits.acquire("k1", 500);
        assertThat(refusal(() -> limits.acquire("k1", 1)).retryAfter()).isEqualTo(Duration.ofMillis(60));
    }
}
