package dev.airlock.cost;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * Spend of one tenant on one UTC day (or month), for one group (a model, a key, or {@code *} for all).
 *
 * @param period the first day of the day or month
 * @param group the model name or key id, or {@code *}
 * @param requests recorded Decisions, whatever their outcome
 * @param inputTokens prompt tokens
 * @param outputTokens completion tokens
 * @param cost US dollars at the answering providers' prices
 * @param unpriced Decisions that used tokens at a provider without a price (not in {@code cost})
 */
public record SpendRow(
        LocalDate period,
        String group,
        long requests,
        long inputTokens,
        long outputTokens,
        BigDecimal cost,
        long unpriced) {}
