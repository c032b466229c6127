package dev.airlock.pipeline;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * A production call and its shadow copy, side by side. The shadow's own Decision is recorded too (its route note
 * says {@code shadow}); its answer never reaches the caller.
 *
 * @param decisionId the production Decision
 * @param shadowDecisionId the shadow copy's Decision
 * @param model the model
 * @param productionVersion the version that answered the caller
 * @param shadowVersion the version that answered the copy
 * @param at when the copy finished
 * @param shadowOutcome answered, refused or failed
 * @param agreed whether the two answers agree: the same text (ignoring case and spacing) for chat, the same label
 *     for predictions, cosine similarity at least 0.99 for embeddings; false when the copy did not answer
 * @param productionMicros the production call's latency
 * @param shadowMicros the copy's latency
 * @param productionCost what the production call cost, or null
 * @param shadowCost what the copy cost, or null
 */
public record ShadowComparison(
        String decisionId,
        String shadowDecisionId,
        String model,
        String productionVersion,
        String shadowVersion,
        Instant at,
        String shadowOutcome,
        boolean agreed,
        long productionMicros,
        long shadowMicros,
        BigDecimal productionCost,
        BigDecimal shadowCost) {
    public ShadowComparison {
        Objects.requireNonNull(decisionId, "decisionId");
        Objects.requireNonNull(shadowDecisionId, "shadowDecisionId");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(shadowVersion, "shadowVersion");
        Objects.requireNonNull(at, "at");
    }

    /** Where comparisons are kept. */
    public interface Log {
        void recordShadow(ShadowComparison comparison);

        /** Drops comparisons; for pipelines that do not keep them. */
        Log NONE = comparison -> {};
    }
}
