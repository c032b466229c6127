package dev.airlock.server.runtime;

import dev.airlock.decision.RequestKind;
import dev.airlock.models.OnnxTabularModel;
import dev.airlock.monitor.ColumnKind;
import dev.airlock.monitor.ProfileSpec;
import dev.airlock.monitor.Profiler;
import dev.airlock.registry.ModelCatalog;
import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.config.ModelConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How each model version is profiled: its window from {@code models.<name>.monitoring}, its features and classes from
 * the model's declared schema when it has one (an ONNX tabular model's sidecar {@code .schema.json}), else kinds
 * inferred from the values seen.
 */
final class ProfileSpecs implements Profiler.Specs {
    private final AirlockConfig config;
    private final ModelCatalog catalog;

    ProfileSpecs(AirlockConfig config, ModelCatalog catalog) {
        this.config = config;
        this.catalog = catalog;
    }

    @Override
    public ProfileSpec spec(String model, String version, RequestKind kind) {
        ModelConfig declared = config.models().get(model);
        Duration window = declared == null
                ? ProfileSpec.DEFAULT_WINDOW
                : declared.monitoring().window();
        return catalog.find(model, version)
                .filter(served -> served.provider() instanceof OnnxTabularModel)
                .map(served -> fromSchema(kind, (OnnxTabularModel) served.provider(), window))
                .orElseGet(() -> ProfileSpec.inferred(kind).withWindow(window));
    }

    /** How often a node flushes: the shortest {@code monitoring.flush} of any model (1 minute by default). */
    static Duration flushEvery(AirlockConfig config) {
        return config.models().values().stream()
                .map(m -> m.monitoring().flush())
                .min(Duration::compareTo)
                .orElse(Duration.ofMinutes(1));
    }

    private static ProfileSpec fromSchema(RequestKind kind, OnnxTabularModel model, Duration window) {
        Map<String, ColumnKind> features = new LinkedHashMap<>();
        model.numericFeatures()
                .forEach((name, numeric) -> features.put(name, numeric ? ColumnKind.NUMERIC : ColumnKind.CATEGORICAL));
        return new ProfileSpec(
                kind, features, model.positiveLabel(), model.negativeLabel(), model.missingTokens(), window);
    }
}
