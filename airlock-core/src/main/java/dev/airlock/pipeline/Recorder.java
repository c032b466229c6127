package dev.airlock.pipeline;

import dev.airlock.decision.Decision;
import dev.airlock.decision.DecisionLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Records a Decision: appends it to the {@link DecisionLog} (durable before the caller gets an answer) and
 * updates the request, latency, token and upstream metrics. Requests that failed authentication are counted but
 * not stored, so that unauthenticated traffic cannot fill the log.
 */
final class Recorder implements Record {
    private final DecisionLog log;
    private final MeterRegistry meters;
    // Meters are looked up once per label set, not built on every request.
    private final Map<OutcomeKey, OutcomeMeters> byOutcome = new ConcurrentHashMap<>();
    private final Map<UpstreamKey, Timer> byUpstream = new ConcurrentHashMap<>();
    private final Map<String, Counter[]> byModelTokens = new ConcurrentHashMap<>();

    Recorder(DecisionLog log, MeterRegistry meters) {
        this.log = log;
        this.meters = meters;
    }

    @Override
    public boolean record(Decision decision) {
        boolean stored = decision.principal() != null;
        if (stored) {
            log.append(decision);
        }
        count(decision);
        return stored;
    }

    private void count(Decision d) {
        String model = d.modelVersion() == null ? "unresolved" : Objects.requireNonNullElse(d.model(), "unresolved");
        var key = new OutcomeKey(
                model, d.kind().id(), d.outcome().label(), d.outcome().httpStatus());
        OutcomeMeters outcome = byOutcome.computeIfAbsent(key, this::outcomeMeters);
        outcome.requests().increment();
        outcome.duration().record(d.latencyMicros(), TimeUnit.MICROSECONDS);
        if (d.provider() != null && d.upstreamMicros() > 0) {
            byUpstream
                    .computeIfAbsent(new UpstreamKey(model, d.provider()), this::upstreamTimer)
                    .record(d.upstreamMicros(), TimeUnit.MICROSECONDS);
        }
        if (d.usage().totalTokens() > 0) {
            Counter[] tokens = byModelTokens.computeIfAbsent(model, this::tokenCounters);
            tokens[0].increment(d.usage().inputTokens());
            tokens[1].increment(d.usage().outputTokens());
        }
    }

    private record OutcomeKey(String model, String kind, String outcome, int status) {}

    private record OutcomeMeters(Counter requests, Timer duration) {}

    private record UpstreamKey(String model, String provider) {}

    private OutcomeMeters outcomeMeters(OutcomeKey k) {
        Counter requests = Counter.builder("airlock.requests")
                .description("AI calls by model, kind, outcome and HTTP status")
                .tag("model", k.model())
                .tag("kind", k.kind())
                .tag("outcome", k.outcome())
                .tag("status", Integer.toString(k.status()))
                .register(meters);
        Timer duration = Timer.builder("airlock.request.duration")
                .description("Time from arrival to recorded outcome")
                .tag("model", k.model())
                .tag("kind", k.kind())
                .tag("outcome", k.outcome())
                .publishPercentileHistogram()
                .register(meters);
        return new OutcomeMeters(requests, duration);
    }

    private Timer upstreamTimer(UpstreamKey k) {
        return Timer.builder("airlock.upstream.duration")
                .description("Time spent in the provider call")
                .tag("model", k.model())
                .tag("provider", k.provider())
                .publishPercentileHistogram()
                .register(meters);
    }

    private Counter[] tokenCounters(String model) {
        return new Counter[] {tokens(model, "in"), tokens(model, "out")};
    }

    private Counter tokens(String model, String direction) {
        return Counter.builder("airlock.tokens")
                .description("Tokens sent to (in) and received from (out) models")
                .tag("model", model)
                .tag("direction", direction)
                .register(meters);
    }
}
