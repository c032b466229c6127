package dev.airlock.provider;

/** A provider of text embeddings: an in-process model or an upstream API. */
public interface EmbeddingProvider extends Provider {
    /**
     * Embeds each input.
     *
     * @throws ProviderException when the provider cannot answer
     */
    EmbeddingResult embed(String upstreamModel, EmbeddingRequest request);
}
