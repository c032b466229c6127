package dev.airlock.registry;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A model's opt-in answer cache. Both kinds are scoped to the tenant and the model, bounded in entries and age.
 *
 * @param exact serve an identical request (same messages and options) from the cache, or null for none
 * @param semantic serve a request whose text is close enough in meaning, or null for none
 */
public record CachePolicy(@Nullable Exact exact, @Nullable Semantic semantic) {

    /** Identical requests within {@code ttl}; at most {@code maxEntries} answers kept per model. */
    public record Exact(Duration ttl, long maxEntries) {
        public Exact {
            Objects.requireNonNull(ttl, "ttl");
            if (maxEntries < 1) {
                throw new IllegalArgumentException("maxEntries must be at least 1");
            }
        }
    }

    /**
     * Requests whose conversation embeds within cosine {@code threshold} of a cached one, using the embedding model
     * {@code embeddingModel} (a model of this node, e.g. the in-process all-MiniLM-L6-v2).
     */
    public record Semantic(String embeddingModel, double threshold, Duration ttl, int maxEntries) {
        public Semantic {
            Objects.requireNonNull(embeddingModel, "embeddingModel");
            Objects.requireNonNull(ttl, "ttl");
            if (threshold <= 0 || threshold > 1) {
                throw new IllegalArgumentException("threshold must be in (0, 1]: " + threshold);
            }
            if (maxEntries < 1) {
                throw new IllegalArgumentException("maxEntries must be at least 1");
            }
        }
    }
}
