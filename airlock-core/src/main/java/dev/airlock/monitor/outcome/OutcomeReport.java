package dev.airlock.monitor.outcome;

import dev.airlock.evidence.Evaluation;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What labels show for one model (one version, or all) over one window, against what was expected of it.
 *
 * @param model the model
 * @param version the version, or null for all
 * @param from the window's start
 * @param to its end (exclusive)
 * @param metrics live accuracy, precision, recall, AUC and calibration
 * @param evaluation the latest evaluation recorded for this version before promotion ({@code airlock evaluate}), or
 *     null
 * @param expectedAccuracy the production-adjusted expectation poc_accuracy × (1 − production_discount), or null
 * @param belowExpectation whether even the upper end of live accuracy's interval is below the expectation
 * @param fairness outcome and error rates by the monitored attribute, or null when none is declared
 * @param roi the business case against production, or null when the case is incomplete
 */
public record OutcomeReport(
        String model,
        @Nullable String version,
        Instant from,
        Instant to,
        LiveMetrics metrics,
        @Nullable Evaluation evaluation,
        @Nullable Double expectedAccuracy,
        boolean belowExpectation,
        @Nullable FairnessReport fairness,
        @Nullable Roi roi) {}
