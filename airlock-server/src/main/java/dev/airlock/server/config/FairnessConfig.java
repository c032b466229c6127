package dev.airlock.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Fairness of a classifier by one monitored attribute (under {@code operations.fairness}); the attribute's values are
 * kept with each prediction.
 *
 * @param attribute the feature whose values make the groups, e.g. {@code region}
 * @param favourableClass the outcome a person wants, e.g. {@code repay}; when not given, the positive class
 * @param minDisparateImpact lowest acceptable smallest/largest favourable rate (0.8: the four-fifths rule)
 * @param maxParityDifference largest acceptable largest − smallest favourable rate
 * @param minGroupSize the fewest predictions a group needs to count in the disparity measures and their alerts; a
 *     smaller group is still reported, marked as not counted
 */
public record FairnessConfig(
        String attribute,
        @JsonProperty("favourable_class") String favourableClass,
        @JsonProperty("min_disparate_impact") Double minDisparateImpact,
        @JsonProperty("max_parity_difference") Double maxParityDifference,
        @JsonProperty("min_group_size") @Default("30") int minGroupSize) {
    public FairnessConfig {
        if (attribute == null || attribute.isBlank()) {
            throw new OptionException("missing; expected the name of a feature, e.g. region", "attribute");
        }
        if (minDisparateImpact != null && (minDisparateImpact < 0 || minDisparateImpact > 1)) {
            throw new OptionException(
                    minDisparateImpact + " is not a ratio from 0 to 1 (0.8: the four-fifths rule)",
                    "min_disparate_impact");
        }
        if (minGroupSize < 1) {
            throw new OptionException(minGroupSize + " is not at least 1", "min_group_size");
        }
        if (maxParityDifference != null && (maxParityDifference < 0 || maxParityDifference > 1)) {
            throw new OptionException(
                    maxParityDifference + " is not a difference from 0 to 1", "max_parity_difference");
        }
    }
}
