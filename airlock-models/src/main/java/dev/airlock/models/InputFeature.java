package dev.airlock.models;

import dev.airlock.decision.Stop;
import dev.airlock.pipeline.Invoke;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** One raw feature of a tabular model: where its columns sit in the input vector and how to fill them. */
sealed interface InputFeature permits NumericInput, CategoricalInput {
    String name();

    /** The index of this feature's first column in the encoded vector. */
    int offset();

    /** How many columns this feature fills. */
    int width();

    List<String> columns();

    /**
     * Writes this feature's columns into {@code row}.
     *
     * @param raw the value as received: a number, a string or null (absent and null are the same)
     * @param missingTokens strings that mean "no value", trimmed and in lower case
     * @return the value used and its reason code
     * @throws Stop.Stopped (400) when the value cannot be used
     */
    Used encode(@Nullable Object raw, float[] row, Set<String> missingTokens);

    /**
     * What a feature's columns were filled from.
     *
     * @param value the value used, after defaults and normalisation, as a string
     * @param reasonCode the code that explains this feature's push, for its value, or null
     */
    record Used(String value, @Nullable String reasonCode) {}

    /** The 400 for a bad value of this feature. */
    default Stop.Stopped invalid(String message) {
        return Stop.invalid(Invoke.STAGE, "features." + name(), "features." + name() + ": " + message)
                .toException();
    }

    static boolean isMissing(@Nullable Object raw, Set<String> missingTokens) {
        return raw == null
                || raw instanceof String s && missingTokens.contains(s.strip().toLowerCase(Locale.ROOT));
    }

    /** How a received value reads in an error message. */
    static String describe(Object raw) {
        return switch (raw) {
            case null -> "null";
            case String s -> '"' + s + '"';
            case Map<?, ?> m -> "an object";
            case List<?> l -> "an array";
            default -> String.valueOf(raw);
        };
    }
}
