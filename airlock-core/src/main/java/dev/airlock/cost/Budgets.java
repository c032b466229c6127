package dev.airlock.cost;

import dev.airlock.decision.Stop;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps spend against budgets. Each budget's spend is read from the store at most {@code refresh} ago (so it counts
 * every node sharing the store) plus what this node settled since; in-flight calls hold a reservation of their
 * estimated cost. A call is refused when spend plus reservations plus its own estimate would pass a hard limit, so
 * concurrent calls cannot overrun a budget by more than what their estimates missed. Metrics:
 * {@code airlock.budget.spent} (USD), {@code airlock.budget.alerts}.
 */
public final class Budgets {
    private static final Logger LOG = LoggerFactory.getLogger(Budgets.class);

    private final List<Budget> budgets;
    private final SpendSource source;
    private final Clock clock;
    private final Duration refresh;
    private final MeterRegistry meters;
    private final Map<String, Ledger> ledgers = new LinkedHashMap<>();

    public Budgets(List<Budget> budgets, SpendSource source, Clock clock, Duration refresh, MeterRegistry meters) {
        this.budgets = List.copyOf(budgets);
        this.source = source;
        this.clock = clock;
        this.refresh = refresh;
        this.meters = meters;
        for (Budget b : this.budgets) {
            Ledger ledger = new Ledger(b);
            ledgers.put(b.name(), ledger);
            if (meters != null) {
                Gauge.builder("airlock.budget.spent", ledger, l -> l.spent.doubleValue())
                        .description("Spend in the budget's current period, US dollars")
                        .tag("budget", b.name())
                        .register(meters);
            }
        }
    }

    public boolean isEmpty() {
        return budgets.isEmpty();
    }

    /** A budget's state now, for the API. */
    public record Status(Budget budget, Instant periodStart, BigDecimal spent, BigDecimal reserved) {}

    /** The budgets {@code visible} selects, as they stand now. */
    public List<Status> status(java.util.function.Predicate<Budget> visible) {
        Instant now = clock.instant();
        List<Ledger> shown =
                ledgers.values().stream().filter(l -> visible.test(l.budget)).toList();
        refreshStale(shown, now);
        synchronized (this) {
            List<Status> out = new ArrayList<>();
            for (Ledger l : shown) {
                l.rollOver(now);
                out.add(new Status(l.budget, l.periodStart, l.spent, l.reserved));
            }
            return out;
        }
    }

    /**
     * Re-reads from the store the spend of ledgers read longer ago than the refresh, without holding the lock that
     * admissions take; a failed read keeps the last value (and is logged), it does not fail calls.
     */
    private void refreshStale(List<Ledger> candidates, Instant now) {
        for (Ledger l : candidates) {
            Instant start = l.budget.period().start(now);
            boolean stale;
            synchronized (this) {
                stale = l.refreshedAt == null
                        || !start.equals(l.periodStart)
                        || Duration.between(l.refreshedAt, now).compareTo(refresh) >= 0;
            }
            if (!stale) {
                continue;
            }
            try {
                BigDecimal spent = source.spent(
                        l.budget.scope(),
                        l.budget.subject(),
                        start,
                        l.budget.period().next(now));
                synchronized (this) {
                    l.rollOver(now);
                    if (start.equals(l.periodStart)) {
                        l.spent = spent;
                        l.refreshedAt = now;
                        l.checkSoft();
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("could not read the spend of budget {}; keeping the last figure", l.budget.name(), e);
            }
        }
    }

    /** What a call holds against its budgets until it settles. */
    public final class Reservation {
        private final List<Ledger> held;
        private final BigDecimal estimate;
        private boolean settled;

        private Reservation(List<Ledger> held, BigDecimal estimate) {
            this.held = held;
            this.estimate = estimate;
        }

        /** Replaces the estimate with what the call cost (null: unpriced, counts as nothing). */
        public void settle(BigDecimal actual) {
            synchronized (Budgets.this) {
                if (settled) {
                    return;
                }
                settled = true;
                BigDecimal cost = actual == null ? BigDecimal.ZERO : actual;
                for (Ledger l : held) {
                    l.reserved = l.reserved.subtract(estimate);
                    l.addSpent(cost);
                }
            }
        }
    }

    /**
     * Reserves {@code estimate} against every budget that covers the call.
     *
     * @throws Stop.Stopped 429 naming the first hard budget the call could pass
     */
    public Reservation reserve(String tenant, String keyId, String model, BigDecimal estimate) {
        Instant now = clock.instant();
        List<Ledger> covering = ledgers.values().stream()
                .filter(l -> l.budget.covers(tenant, keyId, model))
                .toList();
        if (covering.isEmpty()) {
            return new Reservation(List.of(), estimate);
        }
        refreshStale(covering, now);
        synchronized (this) {
            return reserveCovering(covering, estimate, now);
        }
    }

    private Reservation reserveCovering(List<Ledger> covering, BigDecimal estimate, Instant now) {
        List<Ledger> held = new ArrayList<>();
        for (Ledger l : covering) {
            l.rollOver(now);
            Budget b = l.budget;
            if (b.hard() != null && l.spent.add(l.reserved).add(estimate).compareTo(b.hard()) > 0) {
                throw new Stop(
                                "admit",
                                429,
                                "insufficient_quota",
                                "budget_exceeded",
                                "Budget '" + b.name() + "' (" + b.scope().id() + " " + b.subject() + ", per "
                                        + b.period().id() + ") has $" + usd(l.spent) + " of $" + usd(b.hard())
                                        + " spent and $" + usd(l.reserved) + " reserved by calls in flight; this call"
                                        + " could cost up to $" + usd(estimate) + ". It resets at "
                                        + b.period().next(now) + ".",
                                null)
                        .retryingAfter(Duration.between(now, b.period().next(now)))
                        .toException();
            }
            held.add(l);
        }
        for (Ledger l : held) {
            l.reserved = l.reserved.add(estimate);
        }
        return new Reservation(held, estimate);
    }

    private static String usd(BigDecimal amount) {
        return amount.setScale(
                        amount.scale() > 2
                                ? Math.min(amount.stripTrailingZeros().scale(), 6)
                                : 2,
                        RoundingMode.HALF_UP)
                .toPlainString();
    }

    /** One budget's running total for its current period. */
    private final class Ledger {
        final Budget budget;
        Instant periodStart;
        Instant refreshedAt;
        BigDecimal spent = BigDecimal.ZERO;
        BigDecimal reserved = BigDecimal.ZERO;
        boolean alerted;

        Ledger(Budget budget) {
            this.budget = budget;
        }

        /** Starts afresh when a new period began (its spend is read from the store by the next refresh). */
        void rollOver(Instant now) {
            Instant start = budget.period().start(now);
            if (!start.equals(periodStart)) {
                periodStart = start;
                alerted = false;
                spent = BigDecimal.ZERO;
                refreshedAt = null;
            }
        }

        void addSpent(BigDecimal cost) {
            spent = spent.add(cost);
            checkSoft();
        }

        void checkSoft() {
            if (budget.soft() != null && !alerted && spent.compareTo(budget.soft()) >= 0) {
                alerted = true;
                LOG.warn(
                        "budget {} ({} {}) passed its soft limit: ${} of ${} spent this {}",
                        budget.name(),
                        budget.scope().id(),
                        budget.subject(),
                        usd(spent),
                        usd(budget.soft()),
                        budget.period().id());
                if (meters != null) {
                    Counter.builder("airlock.budget.alerts")
                            .description("Budgets that passed their soft limit")
                            .tag("budget", budget.name())
                            .register(meters)
                            .increment();
                }
            }
        }
    }
}
