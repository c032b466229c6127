package dev.airlock.cost;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * Where budgets' spend and the reservations of calls in flight are kept. One node keeps them in memory
 * ({@link #inMemory}); nodes sharing a database keep them there, so that every node checks a hard limit against the
 * same figures in one atomic step. A reservation is identified by its {@code holder} (a Decision id, or one per extra
 * attempt of it) and holds the same amount against each budget it names.
 */
public interface BudgetLedger {

    /** A budget's figures in one period, in US dollars. */
    record Standing(BigDecimal spent, BigDecimal reserved) {
        public static final Standing NONE = new Standing(BigDecimal.ZERO, BigDecimal.ZERO);
    }

    /** What a reservation came to: held against every budget, or refused by the first that it would pass. */
    sealed interface Outcome {
        /** Held; the budgets' figures after it, in the order asked. */
        record Held(List<Standing> after) implements Outcome {}

        /** Refused: {@code budget} has {@code standing} and cannot hold the amount as well. */
        record Refused(Budget budget, Standing standing) implements Outcome {}
    }

    /**
     * Holds {@code amount} against each budget's period containing {@code at}, all or none: refused when spent plus
     * reserved plus {@code amount} would pass a budget's hard limit.
     *
     * @param node the node holding it, which renews it while the call runs
     * @param expiresAt when the reservation may be released by anyone if it was neither settled nor renewed
     */
    Outcome reserve(String node, String holder, List<Budget> budgets, Instant at, BigDecimal amount, Instant expiresAt);

    /**
     * Ends a reservation: releases what it held and adds {@code actual} to each budget's spend (also when the
     * reservation had expired meanwhile). Returns the budgets' figures after it, in the order given.
     */
    List<Standing> settle(String holder, List<Budget> budgets, Instant at, BigDecimal actual);

    /** A budget's figures in the period containing {@code at}. */
    Standing standing(Budget budget, Instant at);

    /** Moves the expiry of every reservation {@code node} holds to {@code expiresAt}: its calls are still running. */
    default void renew(String node, Instant expiresAt) {}

    /** Releases reservations that expired before {@code now} (their node stopped); returns how many. */
    default int releaseExpired(Instant now) {
        return 0;
    }

    /** Whether other nodes share these figures (so reservations must be renewed while calls run). */
    default boolean shared() {
        return false;
    }

    /** A ledger in this node's memory, its spend read once per period from what {@code recorded} holds. */
    static BudgetLedger inMemory(SpendSource recorded) {
        return new LocalLedger(recorded);
    }
}
