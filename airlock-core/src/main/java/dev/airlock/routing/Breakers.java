package dev.airlock.routing;

import dev.airlock.time.Ticker;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One circuit breaker per target, that is per provider and upstream model (Resilience4j), shared by every model and
 * tenant that routes there, so that one upstream model failing does not take the provider's healthy ones down with
 * it. Each follows its provider's {@link BreakerPolicy}. Transitions are logged and counted
 * ({@code airlock.breaker.transitions}); {@code airlock.breaker.state} is 0 closed, 1 half-open, 2 open.
 */
public final class Breakers {
    private static final Logger LOG = LoggerFactory.getLogger(Breakers.class);

    private final Map<String, BreakerPolicy> policies;
    private final @Nullable MeterRegistry meters;
    private final Clock clock;
    private final Map<Key, CircuitBreaker> breakers = new ConcurrentHashMap<>();

    private record Key(String provider, String upstreamModel) {}

    /** @param policies per provider name; providers not named use {@link BreakerPolicy#DEFAULT} */
    public Breakers(Map<String, BreakerPolicy> policies, @Nullable MeterRegistry meters) {
        this(policies, meters, Ticker.system());
    }

    /**
     * @param policies per provider name; providers not named use {@link BreakerPolicy#DEFAULT}
     * @param ticker what times an open breaker's {@code openFor}: monotonic, so a wall-clock step neither shortens
     *     nor stretches it, and a test on fake time sees it half-open exactly when the wait is over
     */
    public Breakers(Map<String, BreakerPolicy> policies, @Nullable MeterRegistry meters, Ticker ticker) {
        this.policies = Map.copyOf(policies);
        this.meters = meters;
        this.clock = ticker.asClock();
    }

    /** The breaker of one target: its provider's policy, its own state. */
    public CircuitBreaker of(Target target) {
        return breakers.computeIfAbsent(
                new Key(target.provider(), target.upstreamModel()),
                key -> create(target.toString(), key.provider(), key.upstreamModel()));
    }

    /** The breaker's state for display: closed, open, half_open. */
    public String state(Target target) {
        return of(target).getState().name().toLowerCase(Locale.ROOT);
    }

    private CircuitBreaker create(String name, String provider, String upstreamModel) {
        BreakerPolicy p = policies.getOrDefault(provider, BreakerPolicy.DEFAULT);
        var config = CircuitBreakerConfig.custom()
                .failureRateThreshold(p.failureRatePercent())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(p.window())
                .minimumNumberOfCalls(p.minCalls())
                .waitDurationInOpenState(p.openFor())
                .permittedNumberOfCallsInHalfOpenState(p.probes())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .clock(clock)
                .build();
        CircuitBreaker breaker = CircuitBreaker.of(name, config);
        breaker.getEventPublisher().onStateTransition(event -> {
            var transition = event.getStateTransition();
            LOG.warn("circuit breaker of {}: {} -> {}", name, transition.getFromState(), transition.getToState());
            if (meters != null) {
                Counter.builder("airlock.breaker.transitions")
                        .description("Circuit breaker state changes per provider and upstream model")
                        .tag("provider", provider)
                        .tag("upstream_model", upstreamModel)
                        .tag("to", transition.getToState().name().toLowerCase(Locale.ROOT))
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
                    .description(
                            "Circuit breaker state per provider and upstream model: 0 closed, 1 half-open," + " 2 open")
                    .tag("provider", provider)
                    .tag("upstream_model", upstreamModel)
                    .register(meters);
        }
        return breaker;
    }

    /** Records one call's result on the target's breaker. */
    public static void record(CircuitBreaker breaker, long nanos, @Nullable Throwable failure) {
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
