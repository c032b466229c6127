package dev.airlock.server.metrics;

import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.config.ModelConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Each model's alert thresholds from its {@code operations.thresholds}, as gauges, so that the shipped Prometheus
 * rules compare live figures with the thresholds the configuration declares instead of repeating them:
 * {@code airlock_model_threshold_latency_p99_seconds}, {@code airlock_model_threshold_error_rate},
 * {@code airlock_model_threshold_cost_per_day_usd}, {@code airlock_model_threshold_drift} and {@code
 * airlock_model_threshold_accuracy}. A threshold left unset has no series, so its alert stays silent.
 */
final class ModelThresholds {
    private ModelThresholds() {}

    static void register(AirlockConfig config, MeterRegistry meters) {
        config.models().forEach((model, m) -> {
            ModelConfig.OperationsConfig operations = m.operations();
            ModelConfig.ThresholdsConfig t = operations == null ? null : operations.thresholds();
            if (t == null) {
                return;
            }
            if (t.latencyP99Ms() != null) {
                gauge(meters, "airlock.model.threshold.latency_p99", model, t.latencyP99Ms() / 1000.0, "seconds");
            }
            if (t.errorRate() != null) {
                gauge(meters, "airlock.model.threshold.error_rate", model, t.errorRate(), null);
            }
            if (t.costPerDayUsd() != null) {
                gauge(
                        meters,
                        "airlock.model.threshold.cost_per_day",
                        model,
                        t.costPerDayUsd().doubleValue(),
                        "usd");
            }
            if (t.drift() != null) {
                gauge(meters, "airlock.model.threshold.drift", model, t.drift(), null);
            }
            if (t.accuracy() != null) {
                gauge(meters, "airlock.model.threshold.accuracy", model, t.accuracy(), null);
            }
        });
    }

    private static void gauge(MeterRegistry meters, String name, String model, double value, String unit) {
        Gauge.builder(name, () -> value)
                .description("The model's alert threshold as its configuration declares it (operations.thresholds)")
                .tag("model", model)
                .baseUnit(unit)
                .register(meters);
    }
}
