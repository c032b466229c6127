package dev.airlock.store;

import dev.airlock.cost.Budget;
import dev.airlock.cost.BudgetLedger;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * Budgets' spend and reservations in {@code budget_ledger} and {@code budget_reservations}, shared by every node on
 * the database. A reservation adds to a budget's row in one conditional UPDATE (the row lock orders concurrent ones;
 * each re-checks the limit against the row as the one before left it), all budgets of a call in one transaction and
 * in one order, so that two calls never wait on each other in a cycle. A period's row starts from what the recorded
 * Decisions of that period cost.
 */
final class LedgerTable implements BudgetLedger {
    /**
     * The most one reservation holds against a budget without a hard limit. An estimate can be absurd ({@code
     * max_tokens} of 10^15): a hard limit refuses it before it is converted; a budget without one, which never
     * refuses, holds at most this much, so that what calls in flight hold stays far inside a BIGINT of nano-dollars.
     */
    static final BigDecimal MAX_HOLD = new BigDecimal("1000000");

    private final Database database;
    private final SpendTable spend;

    LedgerTable(Database database, SpendTable spend) {
        this.database = database;
        this.spend = spend;
    }

    @Override
    public boolean shared() {
        return database.shared();
    }

    /** Thrown inside a transaction to roll it back with an answer. */
    private static final class Undo extends RuntimeException {
        final transient @Nullable Outcome outcome; // null: a period row is missing

        final transient @Nullable Budget missing;

        Undo(@Nullable Outcome outcome, @Nullable Budget missing) {
            super(null, null, false, false);
            this.outcome = outcome;
            this.missing = missing;
        }
    }

    @Override
    public Outcome reserve(
            String node, String holder, List<Budget> budgets, Instant at, BigDecimal amount, Instant expiresAt) {
        for (Budget b : budgets) {
            if (b.hard() != null && amount.compareTo(b.hard()) > 0) {
                return new Outcome.Refused(b, standing(b, at));
            }
        }
        for (int tries = 0; ; tries++) {
            try {
                return database.writes().inTransaction(h -> reserveIn(h, node, holder, budgets, at, amount, expiresAt));
            } catch (Undo undo) {
                if (undo.outcome != null) {
                    return undo.outcome;
                }
                Budget missing = Objects.requireNonNull(undo.missing, "an undo without an outcome names its budget");
                if (tries > budgets.size()) {
                    throw new IllegalStateException("budget ledger row for " + missing.name() + " not created");
                }
                startPeriod(missing, at);
            }
        }
    }

    private Outcome reserveIn(
            Handle h,
            String node,
            String holder,
            List<Budget> budgets,
            Instant at,
            BigDecimal amount,
            Instant expiresAt) {
        Standing[] after = new Standing[budgets.size()];
        for (int i : inLockOrder(budgets)) {
            Budget b = budgets.get(i);
            long nanos = Money.nanos(b.hard() == null ? amount.min(MAX_HOLD) : amount); // within hard: checked
            long start = periodStart(b, at);
            String sql = "UPDATE budget_ledger SET reserved_nano_usd = reserved_nano_usd + :amount"
                    + " WHERE budget = :budget AND period_start = :start"
                    + (b.hard() == null ? "" : " AND spent_nano_usd + reserved_nano_usd + :amount <= :hard");
            var update = h.createUpdate(sql)
                    .bind("amount", nanos)
                    .bind("budget", key(b))
                    .bind("start", start);
            if (b.hard() != null) {
                update.bind("hard", Money.toNanos(b.hard()));
            }
            int updated = update.execute();
            Optional<Standing> row = row(h, b, start);
            if (row.isEmpty()) {
                throw new Undo(null, b);
            }
            if (updated == 0) {
                throw new Undo(new Outcome.Refused(b, row.get()), null);
            }
            after[i] = row.get();
            h.createUpdate("INSERT INTO budget_reservations"
                            + " (holder, budget, period_start, amount_nano_usd, node, expires_at)"
                            + " VALUES (:holder, :budget, :start, :amount, :node, :expires)")
                    .bind("holder", holder)
                    .bind("budget", key(b))
                    .bind("start", start)
                    .bind("amount", nanos)
                    .bind("node", node)
                    .bind("expires", EpochNanos.of(expiresAt, "expires_at"))
                    .execute();
        }
        return new Outcome.Held(Arrays.asList(after));
    }

    /** Creates a period's row from the recorded Decisions, unless another node just did. */
    private void startPeriod(Budget b, Instant at) {
        Instant from = b.period().start(at);
        BigDecimal recorded =
                spend.spent(b.scope(), b.subject(), from, b.period().next(at));
        database.writes()
                .useHandle(h -> h.createUpdate("INSERT INTO budget_ledger"
                                + " (budget, period_start, spent_nano_usd, reserved_nano_usd)"
                                + " VALUES (:budget, :start, :spent, 0) ON CONFLICT (budget, period_start) DO NOTHING")
                        .bind("budget", key(b))
                        .bind("start", EpochNanos.of(from, "period_start"))
                        .bind("spent", Money.toNanos(recorded))
                        .execute());
    }

    @Override
    public List<Standing> settle(String holder, List<Budget> budgets, Instant at, BigDecimal actual) {
        long cost = Money.nanos(actual);
        return database.writes().inTransaction(h -> {
            Standing[] after = new Standing[budgets.size()];
            for (int i : inLockOrder(budgets)) {
                Budget b = budgets.get(i);
                long start = periodStart(b, at);
                long released = release(h, holder, key(b));
                h.createUpdate("UPDATE budget_ledger SET reserved_nano_usd = reserved_nano_usd - :released,"
                                + " spent_nano_usd = spent_nano_usd + :cost WHERE budget = :budget"
                                + " AND period_start = :start")
                        .bind("released", released)
                        .bind("cost", cost)
                        .bind("budget", key(b))
                        .bind("start", start)
                        .execute();
                after[i] = row(h, b, start).orElse(Standing.NONE);
            }
            return Arrays.asList(after);
        });
    }

    /** Deletes a reservation; what it held, or 0 when it was gone (released as expired by some node). */
    private static long release(Handle h, String holder, String budget) {
        Long amount = h.createQuery(
                        "SELECT amount_nano_usd FROM budget_reservations WHERE holder = :holder AND budget = :budget")
                .bind("holder", holder)
                .bind("budget", budget)
                .mapTo(Long.class)
                .findOne()
                .orElse(null);
        if (amount == null) {
            return 0;
        }
        int deleted = h.createUpdate("DELETE FROM budget_reservations WHERE holder = :holder AND budget = :budget")
                .bind("holder", holder)
                .bind("budget", budget)
                .execute();
        return deleted == 1 ? amount : 0;
    }

    @Override
    public Standing standing(Budget budget, Instant at) {
        long start = periodStart(budget, at);
        return database.reads()
                .withHandle(h -> row(h, budget, start))
                .orElseGet(() -> new Standing(
                        spend.spent(
                                budget.scope(),
                                budget.subject(),
                                budget.period().start(at),
                                budget.period().next(at)),
                        BigDecimal.ZERO.setScale(9)));
    }

    @Override
    public void renew(String node, Instant expiresAt) {
        database.writes()
                .useHandle(
                        h -> h.createUpdate("UPDATE budget_reservations SET expires_at = :expires WHERE node = :node")
                                .bind("expires", EpochNanos.of(expiresAt, "expires_at"))
                                .bind("node", node)
                                .execute());
    }

    private record Expired(String holder, String budget, long periodStart) {}

    @Override
    public int releaseExpired(Instant now) {
        return database.writes().inTransaction(h -> {
            List<Expired> expired = h.createQuery("SELECT holder, budget, period_start FROM budget_reservations"
                            + " WHERE expires_at < :now ORDER BY budget, holder LIMIT 1000")
                    .bind("now", EpochNanos.of(now, "now"))
                    .map((rs, ctx) ->
                            new Expired(rs.getString("holder"), rs.getString("budget"), rs.getLong("period_start")))
                    .list();
            int released = 0;
            for (Expired e : expired) {
                long amount = release(h, e.holder(), e.budget());
                if (amount > 0) {
                    released++;
                    h.createUpdate("UPDATE budget_ledger SET reserved_nano_usd = reserved_nano_usd - :amount"
                                    + " WHERE budget = :budget AND period_start = :start")
                            .bind("amount", amount)
                            .bind("budget", e.budget())
                            .bind("start", e.periodStart())
                            .execute();
                }
            }
            return released;
        });
    }

    private static Optional<Standing> row(Handle h, Budget b, long start) {
        return h.createQuery("SELECT spent_nano_usd, reserved_nano_usd FROM budget_ledger"
                        + " WHERE budget = :budget AND period_start = :start")
                .bind("budget", key(b))
                .bind("start", start)
                .map((rs, ctx) -> new Standing(
                        Money.usd(rs.getLong("spent_nano_usd")), Money.usd(rs.getLong("reserved_nano_usd"))))
                .findOne();
    }

    /** Indexes of {@code budgets} in the order their rows are locked: the same on every node. */
    private static int[] inLockOrder(List<Budget> budgets) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < budgets.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing(i -> key(budgets.get(i))));
        return order.stream().mapToInt(Integer::intValue).toArray();
    }

    private static long periodStart(Budget b, Instant at) {
        return EpochNanos.nanos(b.period().start(at), "period_start");
    }

    /** A budget's row key: a budget whose scope, subject or period changes under the same name starts afresh. */
    static String key(Budget b) {
        return b.name() + "|" + b.scope().id() + "|" + b.subject() + "|"
                + b.period().id();
    }
}
