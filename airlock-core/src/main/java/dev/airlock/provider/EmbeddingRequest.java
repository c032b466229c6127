package dev.airlock.provider;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An embeddings request.
 *
 * @param model the model name the caller asked for
 * @param inputs the texts to embed
 * @param options other fields of the request (dimensions, user, ...), passed on as received
 */
public record EmbeddingRequest(String model, List<String> inputs, Map<String, Object> options) implements AiRequest {
    public EmbeddingRequest {
        inputs = List.copyOf(inputs);
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }
}
