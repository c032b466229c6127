package dev.airlock.models;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One of a vocabulary, one-hot encoded: a column per category, then, when the schema allows unknown values, one
 * column for everything else. Values are matched after {@link #normalise}, then through the schema's aliases.
 */
final class CategoricalInput implements InputFeature {
    /** The name of the bucket for values outside the vocabulary, in columns, reason codes and explanations. */
    static final String UNKNOWN = "(unknown)";

    private static final Pattern SEPARATORS = Pattern.compile("[\\s\\-]+");
    private static final int MAX_TEXT_LENGTH = 200;

    private final String name;
    private final int offset;
    private final List<String> categories;
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, String> aliases;
    private final boolean unknownBucket;
    private final @Nullable String missing;
    private final Map<String, String> reasonCodes;

    /**
     * @param categories normalised, distinct
     * @param aliases normalised spelling to the category it means
     * @param missing the category used for a missing value ({@link #UNKNOWN} for the bucket), or null to reject it
     * @param reasonCodes category (or {@link #UNKNOWN}) to reason code
     */
    CategoricalInput(
            String name,
            int offset,
            List<String> categories,
            Map<String, String> aliases,
            boolean unknownBucket,
            @Nullable String missing,
            Map<String, String> reasonCodes) {
        this.name = name;
        this.offset = offset;
        this.categories = List.copyOf(categories);
        for (int i = 0; i < categories.size(); i++) {
            index.put(categories.get(i), i);
        }
        this.aliases = Map.copyOf(aliases);
        this.unknownBucket = unknownBucket;
        this.missing = missing;
        this.reasonCodes = Map.copyOf(reasonCodes);
    }

    /** Trims, lower-cases and turns runs of spaces and hyphens into one underscore: {@code " Own-Home"} is own_home. */
    static String normalise(String value) {
        return SEPARATORS.matcher(value.strip().toLowerCase(Locale.ROOT)).replaceAll("_");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int offset() {
        return offset;
    }

    @Override
    public int width() {
        return categories.size() + (unknownBucket ? 1 : 0);
    }

    @Override
    public List<String> columns() {
        List<String> columns = new ArrayList<>();
        categories.forEach(c -> columns.add(name + "=" + c));
        if (unknownBucket) {
            columns.add(name + "=" + UNKNOWN);
        }
        return columns;
    }

    @Override
    public Used encode(@Nullable Object raw, float[] row, Set<String> missingTokens) {
        String category;
        if (InputFeature.isMissing(raw, missingTokens)) {
            if (missing == null) {
                throw invalid(raw == null ? "is required" : "is required, got " + InputFeature.describe(raw));
            }
            category = missing;
        } else {
            category = lookUp(Objects.requireNonNull(raw, "a value that is not missing is there"));
        }
        int column =
                category.equals(UNKNOWN) ? categories.size() : Objects.requireNonNull(index.get(category), category);
        row[offset + column] = 1f;
        return new Used(category, reasonCodes.get(category));
    }

    private String lookUp(Object raw) {
        String normalised = normalise(text(raw));
        if (index.containsKey(normalised)) {
            return normalised;
        }
        String aliased = aliases.get(normalised);
        if (aliased != null) {
            return aliased;
        }
        if (unknownBucket) {
            return UNKNOWN;
        }
        throw invalid("expected one of " + String.join(", ", categories) + ", got " + InputFeature.describe(raw));
    }

    private String text(Object raw) {
        return switch (raw) {
            case String s when s.length() <= MAX_TEXT_LENGTH -> s;
            case String s -> throw invalid("expected a category, got a string of " + s.length() + " characters");
            case Integer i -> i.toString();
            case Long l -> l.toString();
            default -> throw invalid("expected a string, got " + InputFeature.describe(raw));
        };
    }
}
