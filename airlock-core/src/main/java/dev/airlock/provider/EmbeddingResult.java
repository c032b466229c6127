package dev.airlock.provider;

import dev.airlock.decision.Usage;
import java.util.List;

/** One vector per input, in input order, and the tokens the inputs took. */
public record EmbeddingResult(List<float[]> vectors, Usage usage, String upstreamModel) implements AiAnswer {
    public EmbeddingResult {
        vectors = List.copyOf(vectors);
    }
}
