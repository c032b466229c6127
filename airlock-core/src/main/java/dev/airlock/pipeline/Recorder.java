package dev.airlock.pipeline;

import dev.airlock.decision.Decision;
import dev.airlock.decision.DecisionLog;
import dev.airlock.decision.Outcome;
import dev.airlock.decision.Stop;
import dev.airlock.decision.UnstorableText;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Records a Decision: appends it to the {@link DecisionLog} (durable before the caller gets an answer) and
 * updates the request, latency, token, cost, stop and upstream metrics. Requests that failed authentication are
 * counted but not stored, so that unauthenticated traffic cannot fill the log. A Decision the log refuses is counted
 * as a store write failure before the failure goes on to the pipeline (which answers 503).
 *
 * <p>The latency timers ask for no buckets of their own: the registry decides them (a node gives every Airlock timer
 * its configured SLO-shaped buckets).
 */
final class Recorder implements Record {
    private final DecisionLog log;
    private final MeterRegistry meters;
    // Meters are looked up once per label set, not built on every request.
    private final Map<OutcomeKey, OutcomeMeters> byOutcome = new ConcurrentHashMap<>();
    private final Map<UpstreamKey, Timer> byUpstream = new ConcurrentHashMap<>();
    private final Map<String, Counter[]> byModelTokens = new ConcurrentHashMap<>();
    private final Map<String, Counter> byModelCost = new ConcurrentHashMap<>();
    private final Map<StopKey, Counter> byStop = new ConcurrentHashMap<>();
    private final Counter writeFailures;

    Recorder(DecisionLog log, MeterRegistry meters) {
        this.log = log;
        this.meters = meters;
        this.writeFailures = Counter.builder("airlock.store.write_failures")
                .description("Decisions the store failed to append; their callers got 503 instead of an answer")
                .register(meters);
    }

    @Override
    public boolean record(Decision decision) {
        boolean stored = decision.principal() != null;
        if (stored) {
            append(decision);
        }
        count(decision);
        return stored;
    }

    private void append(Decision decision) {
        try {
            log.append(decision);
        } catch (UnstorableText callersText) {
            throw callersText; // the caller's text, not the store, is at fault
        } catch (RuntimeException failed) {
            writeFailures.increment();
            throw failed;
        }
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
        BigDecimal cost = d.cost();
        if (cost != null && cost.signum() > 0) {
            byModelCost.computeIfAbsent(model, this::costCounter).increment(cost.doubleValue());
        }
        Stop stop = stopOf(d.outcome());
        if (stop != null) {
            byStop.computeIfAbsent(
                            new StopKey(model, d.outcome().label(), stop.stage(), stop.code()), this::stopCounter)
                    .increment();
        }
    }

    private static @Nullable Stop stopOf(Outcome outcome) {
        return switch (outcome) {
            case Outcome.Answered answered -> null;
            case Outcome.Refused refused -> refused.stop();
            case Outcome.Failed failed -> failed.stop();
        };
    }

    private record OutcomeKey(String model, String kind, String outcome, int status) {}

    private record StopKey(String model, String outcome, String stage, String code) {}

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
                .register(meters);
        return new OutcomeMeters(requests, duration);
    }

    private Timer upstreamTimer(UpstreamKey k) {
        return Timer.builder("airlock.upstream.duration")
                .description("Time spent in the provider call")
                .tag("model", k.model())
                .tag("provider", k.provider())
                .register(meters);
    }

    private Counter costCounter(String model) {
        return Counter.builder("airlock.cost")
                .description("What calls cost at the answering provider's prices, US dollars")
                .baseUnit("usd")
                .tag("model", model)
                .register(meters);
    }

    private Counter stopCounter(StopKey k) {
        return Counter.builder("airlock.stops")
                .description("Calls a stage stopped (refused or failed), by model, stage and code: guard and policy"
                        + " refusals, budget and rate limits, upstream failures")
                .tag("model", k.model())
                .tag("outcome", k.outcome())
                .tag("stage", k.stage())
                .tag("code", k.code())
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
