package dev.airlock.server.runtime;

import dev.airlock.deploy.CanaryWatch;
import dev.airlock.monitor.DriftWatch;
import dev.airlock.monitor.drift.DriftOptions;
import dev.airlock.monitor.drift.DriftReport;
import dev.airlock.readiness.LiveDrift;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Drift as the gate and the canary watch read it, from the node's profiles: core's {@link LiveDrift} and {@link
 * CanaryWatch.OutputDrift} ports over {@link DriftWatch}. Both compute when asked (a scorecard, every {@code
 * canary_min_calls} canary calls), never per call.
 */
final class LiveDrifts {
    private final DriftWatch watch;
    private final Clock clock;

    LiveDrifts(DriftWatch watch, Clock clock) {
        this.watch = watch;
        this.clock = clock;
    }

    /**
     * The gate's reading of a version's last day against its reference, as {@code airlock drift} reports it.
     *
     * @param production which version serves a model's production traffic (the version a model's scorecard is about)
     */
    LiveDrift gate(Function<String, String> production) {
        return (model, version) -> {
            String v = version != null ? version : production.apply(model);
            Duration since = DriftWatch.DEFAULT_SINCE;
            return switch (watch.check(model, v, since, DriftOptions.defaults())) {
                case DriftWatch.Report r ->
                    new LiveDrift.Measured(
                            r.version(), since, r.calls(), r.report().share(), drifted(r.report()));
                case DriftWatch.NoReference n -> new LiveDrift.NoReference(n.version());
                case DriftWatch.NoTraffic n -> new LiveDrift.NoTraffic(n.version(), since);
                case DriftWatch.UnknownModel m -> new LiveDrift.NotWatched();
                case DriftWatch.UnknownVersion u -> new LiveDrift.NotWatched();
            };
        };
    }

    /** The canary's outputs against production's over the profile windows since the canary started. */
    CanaryWatch.OutputDrift canary() {
        return (model, canary, production, since) -> {
            Duration span = since == null ? Duration.ZERO : Duration.between(since, clock.instant());
            return switch (watch.compareOutputs(
                    model, production, canary, span.isNegative() ? Duration.ZERO : span, DriftOptions.defaults())) {
                case DriftWatch.Report r ->
                    new CanaryWatch.OutputDrift.Comparison(
                            r.report().share(), drifted(r.report()), r.calls(), r.referenceRows());
                default -> null;
            };
        };
    }

    private static List<String> drifted(DriftReport report) {
        return report.columns().stream()
                .filter(DriftReport.ColumnDrift::drifted)
                .map(DriftReport.ColumnDrift::name)
                .toList();
    }
}
