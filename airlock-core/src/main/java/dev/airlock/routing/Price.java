package dev.airlock.routing;

import dev.airlock.decision.Usage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a provider charges for a model, in US dollars per million tokens.
 *
 * @param inputPerMillion prompt tokens
 * @param outputPerMillion completion tokens
 * @param cachedInputPerMillion prompt tokens the provider served from its cache, or null when it has no such price
 */
public record Price(
        BigDecimal inputPerMillion,
        BigDecimal outputPerMillion,
        @Nullable BigDecimal cachedInputPerMillion) {
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    /** Nothing to pay: in-process models, cache hits. */
    public static final Price FREE = new Price(BigDecimal.ZERO, BigDecimal.ZERO, null);

    public Price {
        Objects.requireNonNull(inputPerMillion, "inputPerMillion");
        Objects.requireNonNull(outputPerMillion, "outputPerMillion");
        if (inputPerMillion.signum() < 0
                || outputPerMillion.signum() < 0
                || (cachedInputPerMillion != null && cachedInputPerMillion.signum() < 0)) {
            throw new IllegalArgumentException("prices must not be negative");
        }
    }

    /** The cost of a call's usage in US dollars, exact to the nano-dollar (rounded half up). */
    public BigDecimal cost(Usage usage) {
        long cached = Math.min(usage.cachedInputTokens(), usage.inputTokens());
        BigDecimal cachedPrice = cachedInputPerMillion == null ? inputPerMillion : cachedInputPerMillion;
        BigDecimal total = inputPerMillion
                .multiply(BigDecimal.valueOf(usage.inputTokens() - cached))
                .add(cachedPrice.multiply(BigDecimal.valueOf(cached)))
                .add(outputPerMillion.multiply(BigDecimal.valueOf(usage.outputTokens())));
        return total.divide(MILLION, 9, RoundingMode.HALF_UP);
    }
}
