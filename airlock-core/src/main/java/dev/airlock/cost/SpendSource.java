package dev.airlock.cost;

import java.math.BigDecimal;
import java.time.Instant;

/** Recorded spend, summed from the Decisions in the store. */
public interface SpendSource {
    /** The cost of every recorded Decision in {@code [from, to)} that the budget's scope and subject select. */
    BigDecimal spent(Budget.Scope scope, String subject, Instant from, Instant to);
}
