package dev.airlock.provider;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request for a tabular model's prediction.
 *
 * @param model the model name
 * @param features feature name to value, as received (numbers, strings or null)
 */
public record PredictRequest(String model, Map<String, Object> features) implements AiRequest {
    public PredictRequest {
        features = Collections.unmodifiableMap(new LinkedHashMap<>(features));
    }
}
