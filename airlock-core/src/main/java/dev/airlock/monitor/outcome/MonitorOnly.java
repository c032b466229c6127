package dev.airlock.monitor.outcome;

import dev.airlock.pipeline.DecisionDraft;
import dev.airlock.pipeline.GuardInput;
import dev.airlock.provider.AiRequest;
import dev.airlock.provider.PredictRequest;
import dev.airlock.registry.ModelCatalog;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Removes a model's monitor-only attributes (e.g. a protected attribute kept only to measure fairness) from the
 * features before the model sees them. Watchers still see the request as received, so the values are kept with the
 * prediction ({@link OutcomeWatcher}); the model never scores on them.
 */
public final class MonitorOnly implements GuardInput {
    private final Function<String, Set<String>> monitorOnly;

    /** @param monitorOnly per model name, the attributes to remove (empty for none) */
    public MonitorOnly(Function<String, Set<String>> monitorOnly) {
        this.monitorOnly = monitorOnly;
    }

    @Override
    public AiRequest check(DecisionDraft draft, AiRequest request) {
        if (!(request instanceof PredictRequest predict)) {
            return request;
        }
        Set<String> removed = monitorOnly.apply(ModelCatalog.baseName(predict.model()));
        if (removed.isEmpty() || predict.features().keySet().stream().noneMatch(removed::contains)) {
            return request;
        }
        Map<String, Object> features = new LinkedHashMap<>(predict.features());
        features.keySet().removeAll(removed);
        draft.note(
                STAGE,
                "monitor_only",
                "removed " + String.join(", ", removed.stream().sorted().toList()));
        return new PredictRequest(predict.model(), features);
    }
}
