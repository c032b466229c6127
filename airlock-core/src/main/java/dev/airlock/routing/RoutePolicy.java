package dev.airlock.routing;

import java.time.Duration;
import java.util.Objects;

/**
 * How hard a model's calls try: attempts per target on retryable failures, the backoff between them (exponential
 * with full jitter, or the upstream's {@code Retry-After} when it says), and the deadline for the whole call across
 * every attempt and fallback.
 *
 * @param attempts tries per target, at least 1
 * @param backoff the first backoff; each next one doubles, up to {@code maxBackoff}
 * @param maxBackoff the longest backoff, and the longest {@code Retry-After} honoured before moving to the next target
 * @param deadline the longest a call may take in total
 */
public record RoutePolicy(int attempts, Duration backoff, Duration maxBackoff, Duration deadline) {
    public static final RoutePolicy DEFAULT =
            new RoutePolicy(2, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(60));

    public RoutePolicy {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
        }
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive: " + deadline);
        }
    }

    /** Full jitter: a uniformly random wait in [0, min(max, base * 2^(attempt-1))]. */
    public Duration backoffBefore(int nextAttempt, double random) {
        long base = backoff.toMillis() << Math.min(20, Math.max(0, nextAttempt - 2));
        long cap = Math.min(maxBackoff.toMillis(), base);
        return Duration.ofMillis((long) (random * cap));
    }
}
