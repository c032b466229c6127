package dev.airlock.cost;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Recorded spend, summed from the Decisions in the store. */
public interface SpendSource {
    /** The cost of every recorded Decision in {@code [from, to)} that the budget's scope and subject select. */
    BigDecimal spent(Budget.Scope scope, String subject, Instant from, Instant to);

    /**
     * A tenant's spend per UTC day, or per month when {@code monthly}, oldest first.
     *
     * @param groupBy {@code model}, {@code key} or null for one row per period
     * @throws IllegalArgumentException for another {@code groupBy}
     */
    List<SpendRow> spend(String tenant, Instant from, Instant to, @Nullable String groupBy, boolean monthly);
}
