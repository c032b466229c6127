package dev.airlock.retrieval;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A document that entered the system, with where it came from.
 *
 * @param source the source it came from; its trust decides whether it is served
 * @param vector its embedding, for retrieval
 * @param injectionScore how much it looks like a prompt injection (0 to 1) when it was ingested
 * @param quarantine why this document is kept aside whatever its source's trust, or null when it is not
 */
public record Document(
        String id,
        String tenant,
        String source,
        String sha256,
        String text,
        float[] vector,
        double injectionScore,
        @Nullable String quarantine,
        Instant createdAt) {
    public Document {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(vector, "vector");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
