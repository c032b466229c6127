package dev.airlock.routing;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One circuit breaker per provider (Resilience4j), shared by every model that routes to it. Transitions are logged
 * and counted ({@code airlock.breaker.transitions}); {@code airlock.breaker.state} is 0 closed, 1 half-open, 2 open.
 */
public final class Breakers {
    private static final Logger LOG = LoggerFactory.getLogger(Breakers.class);

    private final Map<String, BreakerPolicy> policies;
    private final MeterRegistry meters;
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();

    /** @param policies per provider name; providers not named use {@link BreakerPolicy#DEFAULT} */
    public Breakers(Map<String, BreakerPolicy> policies, MeterRegistry meters) {
        this.policies = Map.copyOf(policies);
        this.meters = meters;
    }

    public CircuitBreaker of(String provider) {
        return breakers.computeIfAbsent(provider, this::create);
    }

    /** The breaker's state for display: closed, open, half_open. */
    public String state(String provider) {
        return of(provider).getState().name().toLowerCase(java.util.Locale.ROOT);
    }

    private CircuitBreaker create(String provider) {
        BreakerPolicy p = policies.getOrDefault(provider, BreakerPolicy.DEFAULT);
        var config = CircuitBreakerConfig.custom()
                .failureRateThreshold(p.failureRatePercent())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(p.window())
                .minimumNumberOfCalls(p.minCalls())
                .waitDurationInOpenState(p.openFor())
                .permittedNumberOfCallsInHalfOpenState(p.probes())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .build();
        CircuitBreaker breaker = CircuitBreaker.of(provider, config);
        breaker.getEventPublisher().onStateTransition(event -> {
            var transition = event.getStateTransition();
            LOG.warn(
                    "circuit breaker of provider {}: {} -> {}",
                    provider,
                    transition.getFromState(),
                    transition.getToState());
            if (meters != null) {
                Counter.builder("airlock.breaker.transitions")
                        .description("Circuit breaker state changes per provider")
                        .tag("provider", provider)
                        .tag("to", transition.getToState().name().toLowerCase(java.util.Locale.ROOT))
                        .register(meters)
                        .increment();
            }
        });
        if (meters != null) {
            Gauge.builder("airlock.breaker.state", breaker, b -> switch (b.getState()) {
                        case CLOSED, DISABLED, METRICS_ONLY -> 0;
                        case HALF_OPEN -> 1;
                        case OPEN, FORCED_OPEN -> 2;
                    })
                    .description("Circuit breaker state per provider: 0 closed, 1 half-open, 2 open")
                    .tag("provider", provider)
                    .register(meters);
        }
        return breaker;
    }

    /** Records one call's result on the provider's breaker. */
    public static void record(CircuitBreaker breaker, long nanos, Throwable failure) {
        if (failure == null) {
            breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
        } else {
            breaker.onError(nanos, TimeUnit.NANOSECONDS, failure);
        }
    }

    /** True if the breaker lets a call through now (and counts it as started). */
    public static boolean admits(CircuitBreaker breaker) {
        try {
            breaker.acquirePermission();
            return true;
        } catch (CallNotPermittedException open) {
            return false;
        }
    }
}
