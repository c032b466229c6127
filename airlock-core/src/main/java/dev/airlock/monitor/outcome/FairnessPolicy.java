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
 */
public record FairnessPolicy(
        String attribute,
        @Nullable String favourableClass,
        @Nullable Double minDisparateImpact,
        @Nullable Double maxParityDifference) {
    public FairnessPolicy {
        Objects.requireNonNull(attribute, "attribute");
    }
}
