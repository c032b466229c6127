package dev.airlock.models;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A number, standardised as {@code (t(x) - mean) / std} into one column, where {@code t} is the identity or
 * {@code log1p}. Accepts JSON numbers and numeric strings, with the thousands separator and suffixes the schema
 * allows ({@code "52,000"}, {@code "52k"}, {@code "31%"}).
 */
final class NumericInput implements InputFeature {
    private static final int MAX_TEXT_LENGTH = 64;
    private static final MathContext DISPLAY = new MathContext(12);

    private final String name;
    private final int offset;
    private final boolean log1p;
    private final double mean;
    private final double std;
    private final @Nullable Double missingDefault;
    private final double min;
    private final double max;
    private final @Nullable Pattern grouped;
    private final @Nullable String groupingSeparator;
    private final Map<String, BigDecimal> suffixes;
    private final @Nullable String highCode;
    private final @Nullable String lowCode;

    /**
     * @param missingDefault the value used when none is given, or null to reject a missing value
     * @param groupingSeparator a thousands separator accepted in strings, or null
     * @param suffixes lower-case suffix to multiplier
     */
    NumericInput(
            String name,
            int offset,
            boolean log1p,
            double mean,
            double std,
            @Nullable Double missingDefault,
            double min,
            double max,
            @Nullable String groupingSeparator,
            Map<String, BigDecimal> suffixes,
            @Nullable String highCode,
            @Nullable String lowCode) {
        this.name = name;
        this.offset = offset;
        this.log1p = log1p;
        this.mean = mean;
        this.std = std;
        this.missingDefault = missingDefault;
        this.min = min;
        this.max = max;
        this.groupingSeparator = groupingSeparator;
        this.grouped = groupingSeparator == null
                ? null
                : Pattern.compile("[+-]?\\d{1,3}(" + Pattern.quote(groupingSeparator) + "\\d{3})+(\\.\\d+)?");
        this.suffixes = longestFirst(suffixes);
        this.highCode = highCode;
        this.lowCode = lowCode;
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
        return 1;
    }

    @Override
    public List<String> columns() {
        return List.of(name);
    }

    @Override
    public Used encode(@Nullable Object raw, float[] row, Set<String> missingTokens) {
        double value;
        if (InputFeature.isMissing(raw, missingTokens)) {
            if (missingDefault == null) {
                throw invalid(raw == null ? "is required" : "is required, got " + InputFeature.describe(raw));
            }
            value = missingDefault;
        } else {
            value = parse(Objects.requireNonNull(raw, "a value that is not missing is there"));
        }
        if (value < min || value > max) {
            throw invalid(display(value) + " is outside the accepted range " + display(min) + " to " + display(max));
        }
        double z = ((log1p ? StrictMath.log1p(value) : value) - mean) / std;
        row[offset] = (float) z;
        return new Used(display(value), z >= 0 ? highCode : lowCode);
    }

    private double parse(Object raw) {
        return switch (raw) {
            case Boolean b -> throw invalid("expected a number, got " + b);
            case Number n -> finite(n.doubleValue(), raw);
            case String s -> finite(parseText(s), raw);
            default -> throw invalid("expected a number, got " + InputFeature.describe(raw));
        };
    }

    private double parseText(String original) {
        if (original.length() > MAX_TEXT_LENGTH) {
            throw invalid("expected a number, got a string of " + original.length() + " characters");
        }
        String text = original.strip();
        BigDecimal multiplier = BigDecimal.ONE;
        String lower = text.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, BigDecimal> suffix : suffixes.entrySet()) {
            if (lower.endsWith(suffix.getKey())
                    && lower.length() > suffix.getKey().length()) {
                text = text.substring(0, text.length() - suffix.getKey().length())
                        .strip();
                multiplier = suffix.getValue();
                break;
            }
        }
        if (grouped != null && grouped.matcher(text).matches()) {
            text = text.replace(groupingSeparator, "");
        }
        try {
            return new BigDecimal(text).multiply(multiplier).doubleValue();
        } catch (NumberFormatException e) {
            throw invalid("expected a number, got " + InputFeature.describe(original));
        }
    }

    private double finite(double value, Object raw) {
        if (!Double.isFinite(value)) {
            throw invalid("expected a finite number, got " + InputFeature.describe(raw));
        }
        return value;
    }

    static String display(double value) {
        return new BigDecimal(value).round(DISPLAY).stripTrailingZeros().toPlainString();
    }

    private static Map<String, BigDecimal> longestFirst(Map<String, BigDecimal> suffixes) {
        Map<String, BigDecimal> ordered = new LinkedHashMap<>();
        suffixes.entrySet().stream()
                .sorted(Comparator.comparingInt(
                                (Map.Entry<String, BigDecimal> e) -> -e.getKey().length())
                        .thenComparing(Map.Entry::getKey))
                .forEach(e -> ordered.put(e.getKey(), e.getValue()));
        return ordered;
    }
}
