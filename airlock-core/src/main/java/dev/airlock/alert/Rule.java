package dev.airlock.alert;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * When a signal is bad enough to tell someone: its reading compared with a threshold, held for {@code forDuration}
 * before the alert fires (Prometheus semantics: pending until then, so a blip does not page anybody).
 *
 * @param name the rule's name as shown and silenced ({@code latency_p99_ms}, {@code breaker_open})
 * @param signal the signal it reads
 * @param model the model it applies to, or null for every signal of that name
 */
public record Rule(
        String name,
        String signal,
        @Nullable String model,
        Comparison comparison,
        double threshold,
        Duration forDuration) {

    public Rule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(signal, "signal");
        if (forDuration.isNegative()) {
            throw new IllegalArgumentException("rule " + name + ": for-duration " + forDuration + " is negative");
        }
    }

    /** How a reading is held against the threshold. */
    public enum Comparison {
        ABOVE(">"),
        AT_LEAST(">="),
        BELOW("<");

        private final String symbol;

        Comparison(String symbol) {
            this.symbol = symbol;
        }

        boolean breached(double value, double threshold) {
            return switch (this) {
                case ABOVE -> value > threshold;
                case AT_LEAST -> value >= threshold;
                case BELOW -> value < threshold;
            };
        }

        public String symbol() {
            return symbol;
        }
    }

    /** Whether this rule reads {@code s}. */
    boolean reads(Signal s) {
        return signal.equals(s.name()) && (model == null || model.equals(s.model()));
    }

    /** Whether {@code s} breaks this rule. */
    boolean breachedBy(Signal s) {
        return comparison.breached(s.value(), threshold);
    }

    /** A line a person reads: {@code loan-risk 1: latency_p99_ms 240 > 100}. */
    String describe(Signal s) {
        String of = s.version().isEmpty() ? s.model() : s.model() + " " + s.version();
        return String.format(
                Locale.ROOT, "%s: %s %s %s %s", of, name, number(s.value()), comparison.symbol(), number(threshold));
    }

    /** A reading as a person writes it: {@code 240}, {@code 0.2}, {@code 87.84}, four significant digits at most. */
    static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /**
     * The rules a model's thresholds declare, by threshold name: {@code latency_p99_ms}, {@code error_rate} and
     * {@code cost_per_day_usd} fire above the threshold, {@code drift} above it, {@code accuracy} below it. A name
     * not listed here is refused, naming the ones that are.
     */
    public static List<Rule> fromThresholds(String model, Map<String, Double> thresholds, Duration forDuration) {
        List<Rule> rules = new ArrayList<>();
        thresholds.forEach((name, value) -> {
            Comparison c = switch (name) {
                case "latency_p99_ms", "error_rate", "cost_per_day_usd", "drift" -> Comparison.ABOVE;
                case "accuracy" -> Comparison.BELOW;
                default ->
                    throw new IllegalArgumentException("threshold '" + name + "' of " + model
                            + " is not one of latency_p99_ms, error_rate, cost_per_day_usd, drift, accuracy");
            };
            rules.add(new Rule(name, name, model, c, value, forDuration));
        });
        return rules;
    }
}
