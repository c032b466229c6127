package dev.airlock.provider;

import java.time.Duration;

/** A provider of text embeddings: an in-process model or an upstream API. */
public interface EmbeddingProvider extends Provider {
    /**
     * Embeds each input.
     *
     * @throws ProviderException when the provider cannot answer
     */
    EmbeddingResult embed(String upstreamModel, EmbeddingRequest request);

    /** {@link #embed} within at most {@code timeout} (the caller's remaining deadline), where the provider can. */
    default EmbeddingResult embed(String upstreamModel, EmbeddingRequest request, Duration timeout) {
        return embed(upstreamModel, request);
    }
}
