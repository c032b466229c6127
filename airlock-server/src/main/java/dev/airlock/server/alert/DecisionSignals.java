package dev.airlock.server.alert;

import dev.airlock.alert.Signal;
import dev.airlock.alert.SignalSource;
import dev.airlock.cost.Budget;
import dev.airlock.cost.SpendSource;
import dev.airlock.decision.Decision;
import dev.airlock.decision.DecisionLog;
import dev.airlock.decision.DecisionQuery;
import dev.airlock.decision.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Signals read from recorded Decisions, shared by every node: per model version over the window, {@code
 * latency_p99_ms} and {@code error_rate} (answers that failed with a 5xx); per model, {@code cost_per_day_usd} spent
 * so far this UTC day. A version with fewer than {@code minCalls} calls in the window says nothing.
 */
final class DecisionSignals implements SignalSource {
    private final DecisionLog decisions;
    private final SpendSource spend;
    private final Set<String> models;
    private final Duration window;
    private final int minCalls;

    DecisionSignals(DecisionLog decisions, SpendSource spend, Set<String> models, Duration window, int minCalls) {
        this.decisions = decisions;
        this.spend = spend;
        this.models = Set.copyOf(models);
        this.window = window;
        this.minCalls = minCalls;
    }

    @Override
    public List<Signal> read(Instant now) {
        List<Signal> out = new ArrayList<>();
        for (String model : models) {
            Map<String, List<Decision>> byVersion = new HashMap<>();
            decisions.searchDecisions(new DecisionQuery(null, now.minus(window), now, model, null, null), d -> {
                if (d.modelVersion() != null) {
                    byVersion
                            .computeIfAbsent(d.modelVersion(), v -> new ArrayList<>())
                            .add(d);
                }
                return true;
            });
            byVersion.forEach((version, calls) -> {
                if (calls.size() >= minCalls) {
                    out.add(new Signal("latency_p99_ms", model, version, p99Millis(calls), now));
                    out.add(new Signal("error_rate", model, version, errorRate(calls), now));
                }
            });
            Instant day =
                    now.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant();
            double cost = spend.spent(Budget.Scope.MODEL, model, day, now).doubleValue();
            out.add(new Signal("cost_per_day_usd", model, "", cost, now));
        }
        return out;
    }

    private static double p99Millis(List<Decision> calls) {
        long[] micros = calls.stream().mapToLong(Decision::latencyMicros).toArray();
        Arrays.sort(micros);
        return micros[Math.min(micros.length - 1, (int) Math.ceil(0.99 * micros.length) - 1)] / 1000.0;
    }

    private static double errorRate(List<Decision> calls) {
        long failed = calls.stream()
                .filter(d -> d.outcome() instanceof Outcome.Failed f && f.httpStatus() >= 500)
                .count();
        return (double) failed / calls.size();
    }
}
