package dev.airlock.routing;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How hard a model's calls try: attempts per target on retryable failures, the backoff between them (exponential
 * with full jitter, or the upstream's {@code Retry-After} when it says), the deadline for the whole call across
 * every attempt and fallback, and how long one attempt may take.
 *
 * @param attempts tries per target, at least 1
 * @param backoff the first backoff; each next one doubles, up to {@code maxBackoff}
 * @param maxBackoff the longest backoff, and the longest {@code Retry-After} honoured before moving to the next target
 * @param deadline the longest a call may take in total, streams included
 * @param attemptTimeout the longest one attempt may take before the call moves on, or null for an equal share of
 *     what is left of the deadline per target still to try (so that a hung target leaves the fallbacks their turn)
 */
public record RoutePolicy(
        int attempts,
        Duration backoff,
        Duration maxBackoff,
        Duration deadline,
        @Nullable Duration attemptTimeout) {
    public static final RoutePolicy DEFAULT =
            new RoutePolicy(2, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(60), null);

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
        if (attemptTimeout != null && (attemptTimeout.isNegative() || attemptTimeout.isZero())) {
            throw new IllegalArgumentException("attemptTimeout must be positive: " + attemptTimeout);
        }
    }

    /** A policy whose attempts each get an equal share of the deadline per target still to try. */
    public RoutePolicy(int attempts, Duration backoff, Duration maxBackoff, Duration deadline) {
        this(attempts, backoff, maxBackoff, deadline, null);
    }

    /** Full jitter: a uniformly random wait in [0, min(max, base * 2^(attempt-1))]. */
    public Duration backoffBefore(int nextAttempt, double random) {
        long base = backoff.toMillis() << Math.min(20, Math.max(0, nextAttempt - 2));
        long cap = Math.min(maxBackoff.toMillis(), base);
        return Duration.ofMillis((long) (random * cap));
    }

    /**
     * The longest the next attempt may take: {@code attemptTimeout}, or by default what is left divided among the
     * targets still to try, this one included (the last target gets all that is left); never more than is left.
     *
     * @param left what is left of the deadline
     * @param targetsLeft targets still to try, this one included
     */
    public Duration attemptLimit(Duration left, int targetsLeft) {
        Duration share = attemptTimeout != null ? attemptTimeout : left.dividedBy(Math.max(1, targetsLeft));
        return share.compareTo(left) < 0 ? share : left;
    }
}
