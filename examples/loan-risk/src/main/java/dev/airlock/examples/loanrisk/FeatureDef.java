package dev.airlock.examples.loanrisk;

import java.util.List;
import java.util.Map;

/** A raw input of the model, as the schema declares it. The statistics come later, from the training data. */
sealed interface FeatureDef {
    String name();

    String description();

    /**
     * A number, standardised after an optional {@code log1p}.
     *
     * @param missing "reject", "mean" (the training mean: a neutral contribution) or a number
     * @param min the smallest value accepted, inclusive
     * @param max the largest value accepted, inclusive
     * @param groupingSeparator a thousands separator accepted in strings, or null
     * @param suffixes string suffixes accepted and what they multiply by, e.g. {@code k -> 1000}
     */
    record Numeric(
            String name,
            String description,
            String unit,
            boolean log1p,
            String missing,
            double min,
            double max,
            String groupingSeparator,
            Map<String, Double> suffixes,
            String highCode,
            String lowCode)
            implements FeatureDef {}

    /**
     * One of a vocabulary, one-hot encoded, with a last column for values outside it.
     *
     * @param aliases other spellings, already normalised, to the category they mean
     * @param missing "reject", "unknown" or a category
     */
    record Categorical(
            String name,
            String description,
            List<String> categories,
            Map<String, String> aliases,
            String missing,
            String codePrefix)
            implements FeatureDef {}
}
