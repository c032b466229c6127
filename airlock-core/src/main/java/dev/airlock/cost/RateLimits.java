package dev.airlock.cost;

import dev.airlock.decision.Stop;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests and tokens per minute per API key (Bucket4j token buckets, refilled continuously). Tokens are taken at
 * admission by the call's estimate and corrected by what it used once it ends.
 */
public final class RateLimits {

    /** A key's limits; 0 means no limit. */
    public record Limit(long requestsPerMinute, long tokensPerMinute) {
        public static final Limit NONE = new Limit(0, 0);

        public Limit {
            if (requestsPerMinute < 0 || tokensPerMinute < 0) {
                throw new IllegalArgumentException("rate limits must not be negative");
            }
        }
    }

    private final Map<String, Limit> perKey;
    private final Limit byDefault;
    private final Map<String, Bucket> requestBuckets = new ConcurrentHashMap<>();
    private final Map<String, Bucket> tokenBuckets = new ConcurrentHashMap<>();

    public RateLimits(Map<String, Limit> perKey, Limit byDefault) {
        this.perKey = Map.copyOf(perKey);
        this.byDefault = byDefault == null ? Limit.NONE : byDefault;
    }

    public boolean isEmpty() {
        return perKey.isEmpty() && byDefault.equals(Limit.NONE);
    }

    /** What a call took from its key's token bucket, to correct once it ends. */
    public final class Lease {
        private final String keyId;
        private final long taken;

        private Lease(String keyId, long taken) {
            this.keyId = keyId;
            this.taken = taken;
        }

        /** Charges the tokens the call really used in place of the estimate. */
        public void settle(long usedTokens) {
            Bucket tokens = tokenBuckets.get(keyId);
            if (tokens == null) {
                return;
            }
            long difference = usedTokens - taken;
            if (difference > 0) {
                tokens.consumeIgnoringRateLimits(difference);
            } else if (difference < 0) {
                tokens.addTokens(-difference);
            }
        }
    }

    /**
     * Takes one request and {@code estimatedTokens} from the key's buckets.
     *
     * @throws Stop.Stopped 429 with the wait until the key may call again
     */
    public Lease acquire(String keyId, long estimatedTokens) {
        Limit limit = perKey.getOrDefault(keyId, byDefault);
        if (limit.requestsPerMinute() > 0) {
            Bucket requests = requestBuckets.computeIfAbsent(keyId, k -> bucket(limit.requestsPerMinute()));
            ConsumptionProbe probe = requests.tryConsumeAndReturnRemaining(1);
            if (!probe.isConsumed()) {
                throw refused(keyId, limit.requestsPerMinute() + " requests", probe);
            }
        }
        if (limit.tokensPerMinute() <= 0) {
            return new Lease(keyId, 0);
        }
        Bucket tokens = tokenBuckets.computeIfAbsent(keyId, k -> bucket(limit.tokensPerMinute()));
        long take = Math.max(1, Math.min(estimatedTokens, limit.tokensPerMinute()));
        ConsumptionProbe probe = tokens.tryConsumeAndReturnRemaining(take);
        if (!probe.isConsumed()) {
            throw refused(keyId, limit.tokensPerMinute() + " tokens", probe);
        }
        return new Lease(keyId, take);
    }

    private static Bucket bucket(long perMinute) {
        return Bucket.builder()
                .addLimit(Bandwidth.builder()
                        .capacity(perMinute)
                        .refillGreedy(perMinute, Duration.ofMinutes(1))
                        .build())
                .build();
    }

    private static Stop.Stopped refused(String keyId, String limit, ConsumptionProbe probe) {
        Duration wait = Duration.ofNanos(probe.getNanosToWaitForRefill());
        return new Stop(
                        "admit",
                        429,
                        "rate_limit_error",
                        "rate_limit_exceeded",
                        "Rate limit reached for key '" + keyId + "': " + limit + " per minute. Retry in "
                                + Math.max(1, (wait.toMillis() + 999) / 1000) + " s.",
                        null)
                .retryingAfter(wait)
                .toException();
    }
}
