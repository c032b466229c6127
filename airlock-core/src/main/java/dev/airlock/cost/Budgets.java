package dev.airlock.cost;

import dev.airlock.decision.Stop;
import dev.airlock.pipeline.Admit;
import dev.airlock.registry.ModelCatalog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps spend against budgets in one {@link BudgetLedger}. Before a call, its estimated cost is reserved against every
 * budget that covers it, in one atomic step that refuses when spent plus reserved plus the estimate would pass a hard
 * limit; after it, the reservation is settled with what the call cost. With a shared ledger every node checks the
 * same figures, so nodes together overrun a hard budget by no more than what calls cost beyond their estimates.
 * Reservations of a shared ledger expire after {@code reservationTtl} unless their node renews them (it does, a few
 * times per ttl, while it runs), so those of a node that stopped mid-call are released. Metrics:
 * {@code airlock.budget.spent} (USD, as this node last saw it), {@code airlock.budget.alerts}.
 */
public final class Budgets implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Budgets.class);

    private final List<Budget> budgets;
    private final BudgetLedger ledger;
    private final Clock clock;
    private final Duration reservationTtl;
    private final @Nullable MeterRegistry meters;
    private final String node = UUID.randomUUID().toString();
    private final Map<Budget, BigDecimal> lastSpent = new ConcurrentHashMap<>();
    private final Map<Budget, Instant> alertedFor = new ConcurrentHashMap<>();
    private final @Nullable ScheduledExecutorService upkeep;

    /**
     * @param ledger where the figures live; {@link BudgetLedger#inMemory} for a single node
     * @param reservationTtl how long a reservation of a shared ledger outlives its node
     */
    public Budgets(
            List<Budget> budgets,
            BudgetLedger ledger,
            Clock clock,
            Duration reservationTtl,
            @Nullable MeterRegistry meters) {
        if (reservationTtl.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("reservation ttl must be at least 1s, not " + reservationTtl);
        }
        this.budgets = List.copyOf(budgets);
        this.ledger = ledger;
        this.clock = clock;
        this.reservationTtl = reservationTtl;
        this.meters = meters;
        for (Budget b : this.budgets) {
            lastSpent.put(b, BigDecimal.ZERO);
            if (meters != null) {
                Gauge.builder(
                                "airlock.budget.spent",
                                lastSpent,
                                m -> m.getOrDefault(b, BigDecimal.ZERO).doubleValue())
                        .description("Spend in the budget's current period, US dollars")
                        .tag("budget", b.name())
                        .register(meters);
                limitGauge(meters, b, "soft", b.soft());
                limitGauge(meters, b, "hard", b.hard());
            }
        }
        this.upkeep = ledger.shared() && !this.budgets.isEmpty() ? startUpkeep() : null;
    }

    /** A budget's limit, so that an alert can say how near the spend is to it; none when the limit is unset. */
    private static void limitGauge(MeterRegistry meters, Budget b, String limit, @Nullable BigDecimal usd) {
        if (usd != null) {
            double value = usd.doubleValue();
            Gauge.builder("airlock.budget.limit", () -> value)
                    .description("A budget's soft or hard limit per period, US dollars")
                    .tag("budget", b.name())
                    .tag("limit", limit)
                    .register(meters);
        }
    }

    /**
     * The admit stage for cost: a key's rate limits, then every one of these budgets that covers the call, each
     * holding the call's estimate (output tokens from {@code max_tokens}, else {@code defaultOutputTokens}, priced at
     * the model's most expensive target) until the call settles what it used.
     */
    public Admit admitStage(ModelCatalog catalog, RateLimits rateLimits, long defaultOutputTokens) {
        return new CostGate(catalog, rateLimits, this, defaultOutputTokens);
    }

    public boolean isEmpty() {
        return budgets.isEmpty();
    }

    /** A budget's state now, for the API. */
    public record Status(Budget budget, Instant periodStart, BigDecimal spent, BigDecimal reserved) {}

    /** The budgets {@code visible} selects, as they stand now. */
    public List<Status> status(Predicate<Budget> visible) {
        Instant now = clock.instant();
        List<Status> out = new ArrayList<>();
        for (Budget b : budgets) {
            if (visible.test(b)) {
                BudgetLedger.Standing s = ledger.standing(b, now);
                seen(b, now, s);
                out.add(new Status(b, b.period().start(now), s.spent(), s.reserved()));
            }
        }
        return out;
    }

    /** What a call holds against its budgets until it settles; each extra attempt holds its own estimate. */
    public final class Reservation {
        private final String holder;
        private final List<Budget> covering;
        private final Instant at;
        private final List<String> holds = new ArrayList<>();
        private boolean settled;

        private Reservation(String holder, List<Budget> covering, Instant at) {
            this.holder = holder;
            this.covering = covering;
            this.at = at;
        }

        /**
         * Holds {@code estimate} more, for another attempt of the same call (a repair).
         *
         * @throws Stop.Stopped 429 naming the first hard budget the attempt could pass
         */
        public synchronized void extend(BigDecimal estimate) {
            if (covering.isEmpty()) {
                return;
            }
            String id = holds.isEmpty() ? holder : holder + "#" + (holds.size() + 1);
            hold(id, covering, at, estimate);
            holds.add(id);
        }

        /** Releases every hold and counts what the call cost (null: unpriced, counts as nothing). */
        public synchronized void settle(@Nullable BigDecimal actual) {
            if (settled) {
                return;
            }
            settled = true;
            BigDecimal cost = actual == null ? BigDecimal.ZERO : actual;
            for (String id : holds) {
                try {
                    List<BudgetLedger.Standing> after = ledger.settle(id, covering, at, cost);
                    for (int i = 0; i < covering.size(); i++) {
                        seen(covering.get(i), at, after.get(i));
                    }
                } catch (RuntimeException e) {
                    // the reservation expires and is released; the spend is still in the recorded Decision
                    LOG.warn("could not settle budget reservation {}; it expires in {}", id, reservationTtl, e);
                }
                cost = BigDecimal.ZERO; // the whole cost is counted once, with the first hold
            }
        }
    }

    /**
     * Reserves {@code estimate} against every budget that covers the call.
     *
     * @param holder the Decision's id
     * @throws Stop.Stopped 429 naming the first hard budget the call could pass
     */
    public Reservation reserve(String holder, String tenant, String keyId, String model, BigDecimal estimate) {
        List<Budget> covering =
                budgets.stream().filter(b -> b.covers(tenant, keyId, model)).toList();
        Reservation reservation = new Reservation(holder, covering, clock.instant());
        reservation.extend(estimate);
        return reservation;
    }

    private void hold(String id, List<Budget> covering, Instant at, BigDecimal estimate) {
        BudgetLedger.Outcome outcome;
        try {
            outcome = ledger.reserve(node, id, covering, at, estimate, at.plus(reservationTtl));
        } catch (RuntimeException e) {
            LOG.error("could not reserve against budgets; refusing the call", e);
            throw new Stop(
                            "admit",
                            503,
                            "api_error",
                            "budget_unavailable",
                            "Airlock could not check the budgets of this call (its store did not answer); retry"
                                    + " shortly.",
                            null)
                    .retryingAfter(Duration.ofSeconds(1))
                    .toException();
        }
        switch (outcome) {
            case BudgetLedger.Outcome.Held held -> {
                for (int i = 0; i < covering.size(); i++) {
                    seen(covering.get(i), at, held.after().get(i));
                }
            }
            case BudgetLedger.Outcome.Refused refused -> throw refusal(refused, estimate, at);
        }
    }

    private static Stop.Stopped refusal(BudgetLedger.Outcome.Refused refused, BigDecimal estimate, Instant now) {
        Budget b = refused.budget();
        BudgetLedger.Standing s = refused.standing();
        Instant next = b.period().next(now);
        return new Stop(
                        "admit",
                        429,
                        "insufficient_quota",
                        "budget_exceeded",
                        "Budget '" + b.name() + "' (" + b.scope().id() + " " + b.subject() + ", per "
                                + b.period().id() + ") has $" + usd(s.spent()) + " of $"
                                + usd(Objects.requireNonNull(b.hard(), "a refusing budget has a hard limit"))
                                + " spent and $" + usd(s.reserved()) + " reserved by calls in flight; this call"
                                + " could cost up to $" + usd(estimate) + ". It resets at " + next + ".",
                        null)
                .retryingAfter(Duration.between(now, next))
                .toException();
    }

    /** Remembers the figures for the gauge, and raises the soft alert once per period when they pass it. */
    private void seen(Budget b, Instant at, BudgetLedger.Standing s) {
        Instant period = b.period().start(clock.instant());
        if (!b.period().start(at).equals(period)) {
            return; // a call of the period before settled late
        }
        lastSpent.put(b, s.spent());
        if (b.soft() != null && s.spent().compareTo(b.soft()) >= 0 && !period.equals(alertedFor.put(b, period))) {
            LOG.warn(
                    "budget {} ({} {}) passed its soft limit: ${} of ${} spent this {}",
                    b.name(),
                    b.scope().id(),
                    b.subject(),
                    usd(s.spent()),
                    usd(b.soft()),
                    b.period().id());
            if (meters != null) {
                Counter.builder("airlock.budget.alerts")
                        .description("Budgets that passed their soft limit")
                        .tag("budget", b.name())
                        .register(meters)
                        .increment();
            }
        }
    }

    /** Renews this node's reservations and releases expired ones of stopped nodes, a few times per ttl. */
    private ScheduledExecutorService startUpkeep() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("airlock-budget-upkeep").daemon().factory());
        long every = Math.max(250, reservationTtl.toMillis() / 4);
        executor.scheduleWithFixedDelay(
                () -> {
                    try {
                        Instant now = clock.instant();
                        ledger.renew(node, now.plus(reservationTtl));
                        int released = ledger.releaseExpired(now);
                        if (released > 0) {
                            LOG.info("released {} budget reservations of calls whose node stopped", released);
                        }
                    } catch (RuntimeException e) {
                        LOG.warn("could not renew budget reservations", e);
                    }
                },
                every,
                every,
                TimeUnit.MILLISECONDS);
        return executor;
    }

    /** This node's name in the reservations it holds. */
    public String node() {
        return node;
    }

    @Override
    public void close() {
        if (upkeep != null) {
            upkeep.shutdownNow();
        }
    }

    static String usd(BigDecimal amount) {
        return amount.setScale(
                        amount.scale() > 2
                                ? Math.min(amount.stripTrailingZeros().scale(), 6)
                                : 2,
                        RoundingMode.HALF_UP)
                .toPlainString();
    }
}
