package dev.airlock.pipeline;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

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
        @Nullable String model,
        @Nullable String productionVersion,
        @Nullable String shadowVersion,
        Instant at,
        String shadowOutcome,
        boolean agreed,
        long productionMicros,
        long shadowMicros,
        @Nullable BigDecimal productionCost,
        @Nullable BigDecimal shadowCost) {
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

        /** A model's shadow comparisons since {@code from}, oldest first, until the visitor returns false. */
        void shadowComparisons(String model, Instant from, Predicate<ShadowComparison> visitor);

        /** Drops comparisons; for pipelines that do not keep them. */
        Log NONE = new Log() {
            @Override
            public void recordShadow(ShadowComparison comparison) {}

            @Override
            public void shadowComparisons(String model, Instant from, Predicate<ShadowComparison> visitor) {}
        };
    }

    /**
     * How a shadow version compares with production over many calls: a running sum fed comparison by comparison.
     *
     * <pre>{@code
     * var tally = new ShadowComparison.Tally("2");
     * store.shadowComparisons("support", since, tally);
     * double agreement = tally.agreementRate();
     * }</pre>
     */
    public static final class Tally implements Predicate<ShadowComparison> {
        private final String version;
        private long compared;
        private long agreed;
        private long answered;
        private long productionMicros;
        private long shadowMicros;
        private BigDecimal productionCost = BigDecimal.ZERO;
        private BigDecimal shadowCost = BigDecimal.ZERO;

        /** @param version the shadow version to count; comparisons of other versions are skipped */
        public Tally(String version) {
            this.version = version;
        }

        /** Counts one comparison; always true, so a store visiting comparisons goes on. */
        @Override
        public boolean test(ShadowComparison c) {
            if (version.equals(c.shadowVersion())) {
                compared++;
                agreed += c.agreed() ? 1 : 0;
                answered += c.shadowOutcome().equals("answered") ? 1 : 0;
                productionMicros += c.productionMicros();
                shadowMicros += c.shadowMicros();
                productionCost = c.productionCost() == null ? productionCost : productionCost.add(c.productionCost());
                shadowCost = c.shadowCost() == null ? shadowCost : shadowCost.add(c.shadowCost());
            }
            return true;
        }

        public long compared() {
            return compared;
        }

        public long agreed() {
            return agreed;
        }

        public long answered() {
            return answered;
        }

        /** Share of compared calls whose answers agreed; 0 when none was compared. */
        public double agreementRate() {
            return compared == 0 ? 0 : (double) agreed / compared;
        }

        public double productionMeanMillis() {
            return compared == 0 ? 0 : productionMicros / 1000.0 / compared;
        }

        public double shadowMeanMillis() {
            return compared == 0 ? 0 : shadowMicros / 1000.0 / compared;
        }

        public BigDecimal productionCost() {
            return productionCost;
        }

        public BigDecimal shadowCost() {
            return shadowCost;
        }
    }
}
