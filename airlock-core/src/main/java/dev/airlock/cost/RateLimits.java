package dev.airlock.cost;

import dev.airlock.decision.Stop;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests and tokens per minute per API key (token buckets, refilled continuously), in this node's memory or shared by
 * every node through {@link TokenBuckets}. Tokens are taken at admission by the call's estimate and corrected by what
 * it used once it ends.
 */
public final class RateLimits {
    private static final Logger LOG = LoggerFactory.getLogger(RateLimits.class);
    private static final String REQUESTS = "requests:";
    private static final String TOKENS = "tokens:";

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
    private final TokenBuckets buckets;
    private final Clock clock;

    /** Limits kept in this node's memory. */
    public RateLimits(Map<String, Limit> perKey, @Nullable Limit byDefault) {
        this(perKey, byDefault, TokenBuckets.inMemory(), Clock.systemUTC());
    }

    /** Limits kept in {@code buckets}: shared by every node using the same ones. */
    public RateLimits(Map<String, Limit> perKey, @Nullable Limit byDefault, TokenBuckets buckets, Clock clock) {
        this.perKey = Map.copyOf(perKey);
        this.byDefault = byDefault == null ? Limit.NONE : byDefault;
        this.buckets = buckets;
        this.clock = clock;
    }

    public boolean isEmpty() {
        return perKey.isEmpty() && byDefault.equals(Limit.NONE);
    }

    /** What a call took from its key's token bucket, to correct once it ends. */
    public final class Lease {
        private final String keyId;
        private final long perMinute;
        private final long taken;

        private Lease(String keyId, long perMinute, long taken) {
            this.keyId = keyId;
            this.perMinute = perMinute;
            this.taken = taken;
        }

        /** Charges the tokens the call really used in place of the estimate. */
        public void settle(long usedTokens) {
            if (perMinute <= 0 || usedTokens == taken) {
                return;
            }
            try {
                buckets.adjust(TOKENS + keyId, perMinute, taken - usedTokens, clock.instant());
            } catch (RuntimeException e) {
                LOG.warn("could not correct the token bucket of key {}", keyId, e);
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
            long wait = take(REQUESTS + keyId, limit.requestsPerMinute(), 1);
            if (wait > 0) {
                throw refused(keyId, limit.requestsPerMinute() + " requests", wait);
            }
        }
        if (limit.tokensPerMinute() <= 0) {
            return new Lease(keyId, 0, 0);
        }
        long take = Math.max(1, Math.min(estimatedTokens, limit.tokensPerMinute()));
        long wait = take(TOKENS + keyId, limit.tokensPerMinute(), take);
        if (wait > 0) {
            throw refused(keyId, limit.tokensPerMinute() + " tokens", wait);
        }
        return new Lease(keyId, limit.tokensPerMinute(), take);
    }

    private long take(String bucket, long perMinute, long amount) {
        try {
            return buckets.tryTake(bucket, perMinute, amount, clock.instant());
        } catch (RuntimeException e) {
            LOG.error("could not check the rate limit {}; refusing the call", bucket, e);
            throw new Stop(
                            "admit",
                            503,
                            "api_error",
                            "rate_limit_unavailable",
                            "Airlock could not check the rate limits of this call (its store did not answer); retry"
                                    + " shortly.",
                            null)
                    .retryingAfter(Duration.ofSeconds(1))
                    .toException();
        }
    }

    private static Stop.Stopped refused(String keyId, String limit, long waitNanos) {
        Duration wait = Duration.ofNanos(waitNanos);
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
