package dev.airlock.routing;

import java.time.Duration;

/**
 * When a provider's circuit breaker opens: once at least {@code minCalls} of the last {@code window} calls were made
 * and {@code failureRatePercent} of them failed, it stays open for {@code openFor} (calls skip the provider at no
 * cost), then lets {@code probes} calls through; if they succeed it closes.
 */
public record BreakerPolicy(int failureRatePercent, int window, int minCalls, Duration openFor, int probes) {
    public static final BreakerPolicy DEFAULT = new BreakerPolicy(50, 20, 10, Duration.ofSeconds(30), 2);

    public BreakerPolicy {
        if (failureRatePercent < 1 || failureRatePercent > 100) {
            throw new IllegalArgumentException("failureRatePercent must be 1..100: " + failureRatePercent);
        }
        if (window < 1 || minCalls < 1 || probes < 1) {
            throw new IllegalArgumentException("window, minCalls and probes must be at least 1");
        }
    }
}
