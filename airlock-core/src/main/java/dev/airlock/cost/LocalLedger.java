package dev.airlock.cost;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A single node's ledger: exact without a database round trip, because this node is the only one spending. A
 * budget's spend is read from the recorded Decisions when its period is first used (at start, and when a new period
 * begins) and counted here from then on.
 */
final class LocalLedger implements BudgetLedger {
    private final SpendSource recorded;
    private final Map<Key, Figures> figures = new HashMap<>();
    private final Map<String, BigDecimal> held = new HashMap<>();

    LocalLedger(SpendSource recorded) {
        this.recorded = recorded;
    }

    private record Key(Budget budget, Instant periodStart) {}

    private static final class Figures {
        BigDecimal spent;
        BigDecimal reserved = BigDecimal.ZERO;

        Figures(BigDecimal spent) {
            this.spent = spent;
        }

        Standing standing() {
            return new Standing(spent, reserved);
        }
    }

    @Override
    public synchronized Outcome reserve(
            String node, String holder, List<Budget> budgets, Instant at, BigDecimal amount, Instant expiresAt) {
        List<Figures> all = new ArrayList<>();
        for (Budget b : budgets) {
            Figures f = figuresOf(b, at);
            if (b.hard() != null && f.spent.add(f.reserved).add(amount).compareTo(b.hard()) > 0) {
                return new Outcome.Refused(b, f.standing());
            }
            all.add(f);
        }
        List<Standing> after = new ArrayList<>();
        for (Figures f : all) {
            f.reserved = f.reserved.add(amount);
            after.add(f.standing());
        }
        held.put(holder, amount);
        return new Outcome.Held(after);
    }

    @Override
    public synchronized List<Standing> settle(String holder, List<Budget> budgets, Instant at, BigDecimal actual) {
        BigDecimal amount = held.remove(holder);
        List<Standing> after = new ArrayList<>();
        for (Budget b : budgets) {
            Figures f = figuresOf(b, at);
            if (amount != null) {
                f.reserved = f.reserved.subtract(amount);
            }
            f.spent = f.spent.add(actual);
            after.add(f.standing());
        }
        return after;
    }

    @Override
    public synchronized Standing standing(Budget budget, Instant at) {
        return figuresOf(budget, at).standing();
    }

    /** A budget's figures for the period of {@code at}; older periods are dropped when a new one begins. */
    private Figures figuresOf(Budget b, Instant at) {
        Instant start = b.period().start(at);
        Key key = new Key(b, start);
        Figures f = figures.get(key);
        if (f == null) {
            figures.keySet()
                    .removeIf(k -> k.budget().equals(b) && k.periodStart().isBefore(start));
            f = new Figures(
                    recorded.spent(b.scope(), b.subject(), start, b.period().next(at)));
            figures.put(key, f);
        }
        return f;
    }
}
