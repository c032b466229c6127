package dev.airlock.cost;

import dev.airlock.time.Ticker;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One node's token buckets (Bucket4j, lock-free), refilled as the ticker moves: monotonic, so a wall-clock step
 * neither empties nor fills them, and a test on fake time sees them refill exactly.
 */
final class LocalBuckets implements TokenBuckets {
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final TimeMeter meter;

    LocalBuckets(Ticker ticker) {
        this.meter = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return ticker.read();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
    }

    @Override
    public long tryTake(String bucket, long perMinute, long amount, Instant now) {
        ConsumptionProbe probe = bucketOf(bucket, perMinute).tryConsumeAndReturnRemaining(amount);
        return probe.isConsumed() ? 0 : Math.max(1, probe.getNanosToWaitForRefill());
    }

    @Override
    public void adjust(String bucket, long perMinute, long delta, Instant now) {
        Bucket b = bucketOf(bucket, perMinute);
        if (delta > 0) {
            b.addTokens(delta);
        } else if (delta < 0) {
            b.consumeIgnoringRateLimits(-delta);
        }
    }

    private Bucket bucketOf(String name, long perMinute) {
        return buckets.computeIfAbsent(
                name,
                k -> Bucket.builder()
                        .addLimit(Bandwidth.builder()
                                .capacity(perMinute)
                                .refillGreedy(perMinute, Duration.ofMinutes(1))
                                .build())
                        .withCustomTimePrecision(meter)
                        .build());
    }
}
