package dev.airlock.provider;

import java.util.Map;

/**
 * A request for a tabular model's prediction.
 *
 * @param model the model name
 * @param features feature name to value, as received (numbers, strings or null)
 */
public record PredictRequest(String model, Map<String, Object> features) implements AiRequest {
    public PredictRequest {
        features = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(features));
    }
}
