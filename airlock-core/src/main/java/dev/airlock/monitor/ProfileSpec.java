package dev.airlock.monitor;

import dev.airlock.decision.RequestKind;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How one model version is profiled.
 *
 * @param kind chat, embedding or predict: which inputs and outputs there are
 * @param features a predict model's declared features and how each is profiled, in input order; empty when the model
 *     declares none, and then each field's kind is taken from the first value seen (a number: numeric, else
 *     categorical) and no field counts as unknown or missing
 * @param positiveClass the class whose probability a prediction's {@code probability} output profiles, or null (no
 *     probability is profiled)
 * @param negativeClass the other class, for reading a 0/1 label column of reference data, or null
 * @param missingTokens strings that mean "no value" (compared trimmed, lower case), counted as nulls
 * @param window how long one profile's window is
 */
public record ProfileSpec(
        RequestKind kind,
        Map<String, ColumnKind> features,
        @Nullable String positiveClass,
        @Nullable String negativeClass,
        Set<String> missingTokens,
        Duration window) {
    /** Windows are an hour unless configured. */
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);

    /** Strings that mean no value unless a schema says otherwise. */
    public static final Set<String> DEFAULT_MISSING = Set.of("", "null", "n/a", "na", "nan", "none");

    public ProfileSpec {
        Objects.requireNonNull(kind, "kind");
        features = Collections.unmodifiableMap(new LinkedHashMap<>(features));
        missingTokens = Set.copyOf(missingTokens);
        if (window.isNegative() || window.toMillis() < 1000) {
            throw new IllegalArgumentException("a profile window must be at least 1s, not " + window);
        }
    }

    /** A model without declared features: kinds from the values seen, hour-long windows. */
    public static ProfileSpec inferred(RequestKind kind) {
        return new ProfileSpec(kind, Map.of(), null, null, DEFAULT_MISSING, DEFAULT_WINDOW);
    }

    /** The same profile with windows of {@code value}. */
    public ProfileSpec withWindow(Duration value) {
        return new ProfileSpec(kind, features, positiveClass, negativeClass, missingTokens, value);
    }

    /** Whether features are declared (so unknown and missing fields are counted). */
    public boolean declared() {
        return !features.isEmpty();
    }

    boolean missing(String value) {
        // most values are longer than any missing token: skip the lower-casing copy for them
        if (value.length() > 4 && !Character.isWhitespace(value.charAt(0))) {
            return false;
        }
        return missingTokens.contains(value.strip().toLowerCase(Locale.ROOT));
    }
}
