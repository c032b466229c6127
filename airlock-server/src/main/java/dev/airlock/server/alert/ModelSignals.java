package dev.airlock.server.alert;

import dev.airlock.alert.Signal;
import dev.airlock.alert.SignalSource;
import dev.airlock.decision.RequestKind;
import dev.airlock.monitor.DriftWatch;
import dev.airlock.monitor.drift.DriftOptions;
import dev.airlock.monitor.outcome.FairnessReport;
import dev.airlock.monitor.outcome.OutcomeReport;
import dev.airlock.monitor.outcome.Outcomes;
import dev.airlock.registry.ModelCatalog;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What each model version's live traffic shows against what it was trained on and what it should achieve: {@code
 * drift} (the dataset drift share of the last day's profiles against the version's reference, as {@code airlock
 * drift} reports it), {@code accuracy} (labelled predictions of the last 30 days, as {@code airlock accuracy}
 * reports it) and, where a fairness policy is declared, {@code fairness_disparate_impact} and {@code
 * fairness_parity_difference}. A version says nothing with fewer than {@code minCalls} calls compared (drift) or
 * labelled predictions (accuracy, fairness), nor without a reference profile (drift).
 *
 * <p>Read once per evaluation, never per request or scrape: drift merges sketches (constant memory per window);
 * accuracy and fairness read every kept prediction of the window, so they are read again at most every {@code
 * outcomesEvery} and repeated from the last reading in between. Each reading also sets the gauges {@code
 * airlock_drift_score}, {@code airlock_live_accuracy} and {@code airlock_fairness_disparate_impact}, which a scrape
 * only reads.
 */
final class ModelSignals implements SignalSource {
    /** The span of predictions accuracy and fairness are computed over, as {@code airlock accuracy} by default. */
    static final Duration OUTCOMES_WINDOW = Duration.ofDays(30);

    private final DriftWatch drift;
    private final Outcomes outcomes;
    private final ModelCatalog catalog;
    private final int minCalls;
    private final Duration outcomesEvery;
    private final MultiGauge driftScore;
    private final MultiGauge liveAccuracy;
    private final MultiGauge disparateImpact;
    private List<Signal> lastOutcomes = List.of();
    private Instant outcomesAt = Instant.MIN;

    ModelSignals(
            DriftWatch drift,
            Outcomes outcomes,
            ModelCatalog catalog,
            int minCalls,
            Duration outcomesEvery,
            MeterRegistry meters) {
        this.drift = drift;
        this.outcomes = outcomes;
        this.catalog = catalog;
        this.minCalls = minCalls;
        this.outcomesEvery = outcomesEvery;
        this.driftScore = MultiGauge.builder("airlock.drift.score")
                .description("Share of a model version's columns whose last day of traffic drifted from its reference"
                        + " profile (what thresholds.drift is held against); set at each alert evaluation")
                .register(meters);
        this.liveAccuracy = MultiGauge.builder("airlock.live.accuracy")
                .description("Share of a model version's labelled predictions of the last 30 days that were right;"
                        + " set at each alert evaluation")
                .register(meters);
        this.disparateImpact = MultiGauge.builder("airlock.fairness.disparate_impact")
                .description("Smallest over largest favourable rate across the groups of the model's fairness"
                        + " attribute, last 30 days; set at each alert evaluation")
                .register(meters);
    }

    @Override
    public synchronized List<Signal> read(Instant now) {
        List<Signal> out = new ArrayList<>(drift(now));
        if (!now.isBefore(outcomesAt.plus(outcomesEvery)) || now.isBefore(outcomesAt)) {
            lastOutcomes = outcomes(now);
            outcomesAt = now;
            publish(liveAccuracy, lastOutcomes, "accuracy");
            publish(disparateImpact, lastOutcomes, "fairness_disparate_impact");
        }
        out.addAll(lastOutcomes);
        return out;
    }

    private List<Signal> drift(Instant now) {
        List<Signal> out = new ArrayList<>();
        for (var model : catalog.all()) {
            String name = model.spec().name();
            for (String version : catalog.versions(name).keySet()) {
                if (drift.check(name, version, DriftWatch.DEFAULT_SINCE, DriftOptions.defaults())
                                instanceof DriftWatch.Report r
                        && r.calls() >= minCalls) {
                    out.add(new Signal("drift", name, version, r.report().share(), now));
                }
            }
        }
        publish(driftScore, out, "drift");
        return out;
    }

    private List<Signal> outcomes(Instant now) {
        List<Signal> out = new ArrayList<>();
        for (var model : catalog.all()) {
            if (model.spec().kind() != RequestKind.PREDICT) {
                continue; // only predictions are kept for labels
            }
            String name = model.spec().name();
            for (String version : catalog.versions(name).keySet()) {
                OutcomeReport report = outcomes.report(name, version, now.minus(OUTCOMES_WINDOW), now);
                if (report.metrics().labelled() >= minCalls
                        && report.metrics().accuracy().known()) {
                    out.add(new Signal(
                            "accuracy",
                            name,
                            version,
                            report.metrics().accuracy().value(),
                            now));
                }
                FairnessReport fairness = report.fairness();
                if (fairness != null && report.metrics().predictions() >= minCalls) {
                    if (!Double.isNaN(fairness.disparateImpact())) {
                        out.add(new Signal(
                                "fairness_disparate_impact", name, version, fairness.disparateImpact(), now));
                    }
                    if (!Double.isNaN(fairness.parityDifference())) {
                        out.add(new Signal(
                                "fairness_parity_difference", name, version, fairness.parityDifference(), now));
                    }
                }
            }
        }
        return out;
    }

    private static void publish(MultiGauge gauge, List<Signal> signals, String name) {
        gauge.register(
                signals.stream()
                        .filter(s -> s.name().equals(name))
                        .map(s -> MultiGauge.Row.of(Tags.of("model", s.model(), "version", s.version()), s.value()))
                        .toList(),
                true);
    }
}
