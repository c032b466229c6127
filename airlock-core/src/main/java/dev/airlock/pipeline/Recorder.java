package dev.airlock.pipeline;

import dev.airlock.decision.Decision;
import dev.airlock.decision.DecisionLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Records a Decision: appends it to the {@link DecisionLog} (durable before the caller gets an answer) and
 * updates the request, latency, token and upstream metrics. Requests that failed authentication are counted but
 * not stored, so that unauthenticated traffic cannot fill the log.
 */
public final class Recorder implements Record {
    private final DecisionLog log;
    private final MeterRegistry meters;

    public Recorder(DecisionLog log, MeterRegistry meters) {
        this.log = log;
        this.meters = meters;
    }

    @Override
    public void record(Decision decision) {
        if (decision.principal() != null) {
            log.append(decision);
        }
        count(decision);
    }

    private void count(Decision d) {
        String model = d.modelVersion() == null ? "unresolved" : d.model();
        String kind = d.kind().id();
        String outcome = d.outcome().label();
        Counter.builder("airlock.requests")
                .description("AI calls by model, kind, outcome and HTTP status")
                .tag("model", model)
                .tag("kind", kind)
                .tag("outcome", outcome)
                .tag("status", Integer.toString(d.outcome().httpStatus()))
                .register(meters)
                .increment();
        Timer.builder("airlock.request.duration")
                .description("Time from arrival to recorded outcome")
                .tag("model", model)
                .tag("kind", kind)
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(meters)
                .record(Duration.ofNanos(d.latencyMicros() * 1_000));
        if (d.provider() != null && d.upstreamMicros() > 0) {
            Timer.builder("airlock.upstream.duration")
                    .description("Time spent in the provider call")
                    .tag("model", model)
                    .tag("provider", d.provider())
                    .publishPercentileHistogram()
                    .register(meters)
                    .record(Duration.ofNanos(d.upstreamMicros() * 1_000));
        }
        if (d.usage().totalTokens() > 0) {
            tokens(model, "in").increment(d.usage().inputTokens());
            tokens(model, "out").increment(d.usage().outputTokens());
        }
    }

    private Counter tokens(String model, String direction) {
        return Counter.builder("airlock.tokens")
                .description("Tokens sent to (in) and received from (out) models")
                .tag("model", model)
                .tag("direction", direction)
                .register(meters);
    }
}
