package dev.airlock.monitor.outcome;

import org.jspecify.annotations.Nullable;

/**
 * The promise a model went live on (the model's {@code operations.evaluation}); any part may be missing.
 *
 * @param pocAccuracy the accuracy the proof of concept showed
 * @param productionDiscount the share of it expected to be lost in production (0.3 when not given)
 * @param kpiBaseline the accuracy of the process the model replaces
 * @param valuePerCorrectUsd what one correct decision more than the baseline is worth
 * @param monthlyVolume the decisions per month the case assumed
 */
public record BusinessCase(
        @Nullable Double pocAccuracy,
        @Nullable Double productionDiscount,
        @Nullable Double kpiBaseline,
        @Nullable Double valuePerCorrectUsd,
        @Nullable Long monthlyVolume) {
    public static final BusinessCase NONE = new BusinessCase(null, null, null, null, null);
    public static final double DEFAULT_DISCOUNT = 0.3;

    /** The production-adjusted expectation {@code pocAccuracy × (1 − productionDiscount)}, or null without a PoC. */
    public @Nullable Double expectedAccuracy() {
        return pocAccuracy == null
                ? null
                : pocAccuracy * (1 - (productionDiscount == null ? DEFAULT_DISCOUNT : productionDiscount));
    }
}
