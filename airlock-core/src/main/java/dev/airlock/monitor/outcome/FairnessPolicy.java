package dev.airlock.monitor.outcome;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a classifier's outcomes are compared across the groups of one monitored attribute.
 *
 * @param attribute the monitored attribute whose values make the groups, e.g. {@code region}
 * @param favourableClass the outcome a person wants (e.g. {@code repay}: the loan is granted); null: the positive class
 * @param minDisparateImpact the lowest acceptable ratio of the smallest to the largest favourable rate (0.8: the
 *     four-fifths rule), or null for no limit
 * @param maxParityDifference the largest acceptable difference between the largest and smallest favourable rate, or
 *     null for no limit
 * @param minGroupSize the fewest predictions a group needs to count in the disparity measures (and their alerts): a
 *     smaller group is still reported, but its rate is too noisy to judge the model by (3 of 4 is not 75 %)
 */
public record FairnessPolicy(
        String attribute,
        @Nullable String favourableClass,
        @Nullable Double minDisparateImpact,
        @Nullable Double maxParityDifference,
        int minGroupSize) {
    public FairnessPolicy {
        Objects.requireNonNull(attribute, "attribute");
        if (minGroupSize < 1) {
            throw new IllegalArgumentException("min_group_size must be at least 1, not " + minGroupSize);
        }
    }

    /** A policy in which every group counts, however small. */
    public FairnessPolicy(
            String attribute,
            @Nullable String favourableClass,
            @Nullable Double minDisparateImpact,
            @Nullable Double maxParityDifference) {
        this(attribute, favourableClass, minDisparateImpact, maxParityDifference, 1);
    }
}
