package dev.airlock.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.cost.Budget;
import dev.airlock.cost.BudgetLedger;
import dev.airlock.cost.BudgetLedger.Outcome;
import dev.airlock.cost.Budgets;
import dev.airlock.cost.SpendSourceContract;
import dev.airlock.cost.TokenBuckets;
import dev.airlock.time.FakeTime;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the budget ledger and the rate-limit buckets kept in a store must do, on every database: reservations all or
 * nothing against a hard limit, even from two stores (nodes) on one database at once; settling; releasing what a
 * stopped node held; buckets that refill.
 */
abstract class LedgerContract {
    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    private static final Instant LATER = NOW.plus(Duration.ofMinutes(1));
    private static final Budget ACME =
            new Budget("acme", Budget.Scope.TENANT, "acme", Budget.Period.DAY, null, usd("1"));
    private static final Budget GPT = new Budget("gpt", Budget.Scope.MODEL, "gpt", Budget.Period.MONTH, null, usd("5"));

    private TestDatabase database;
    private Store store;

    protected abstract TestDatabase emptyDatabase() throws Exception;

    @BeforeEach
    void open() throws Exception {
        database = emptyDatabase();
        store = database.open();
    }

    @AfterEach
    void close() throws Exception {
        // nothing was opened when the database was not available and the test was skipped
        if (store != null) {
            store.close();
        }
        if (database != null) {
            database.close();
        }
    }

    private static BigDecimal usd(String amount) {
        return new BigDecimal(amount);
    }

    private BudgetLedger ledger() {
        return store.budgetLedger();
    }

    @Test
    void aReservation_holdsAgainstEveryBudget_untilSettledWithTheRealCost() {
        Outcome held = ledger().reserve("node", "call-1", List.of(ACME, GPT), NOW, usd("0.4"), LATER);

        assertThat(held).isInstanceOf(Outcome.Held.class);
        assertThat(ledger().standing(ACME, NOW).reserved()).isEqualByComparingTo("0.4");
        assertThat(ledger().standing(GPT, NOW).reserved()).isEqualByComparingTo("0.4");

        var after = ledger().settle("call-1", List.of(ACME, GPT), NOW, usd("0.25"));

        assertThat(after)
                .extracting(s -> s.spent().stripTrailingZeros().toPlainString())
                .containsExactly("0.25", "0.25");
        assertThat(ledger().standing(ACME, NOW).reserved()).isZero();
    }

    @Test
    void aReservationThatWouldPassAHardLimit_isRefused_andHoldsNothingAnywhere() {
        ledger().reserve("node", "call-1", List.of(ACME), NOW, usd("0.7"), LATER);

        Outcome refused = ledger().reserve("node", "call-2", List.of(GPT, ACME), NOW, usd("0.4"), LATER);

        assertThat(refused).isInstanceOfSatisfying(Outcome.Refused.class, r -> {
            assertThat(r.budget()).isEqualTo(ACME);
            assertThat(r.standing().reserved()).isEqualByComparingTo("0.7");
        });
        assertThat(ledger().standing(GPT, NOW).reserved()).as("all or nothing").isZero();
    }

    @Test
    void anEstimateBeyondWhatTheLedgerCanCount_isRefusedByAHardLimit_andHeldCappedWithoutOne() {
        Budget softOnly = new Budget("acme-soft", Budget.Scope.TENANT, "acme", Budget.Period.DAY, usd("1"), null);
        BigDecimal absurd = usd("1e13"); // 10^22 nano-dollars: more than a BIGINT holds

        Outcome refused = ledger().reserve("node", "call-1", List.of(softOnly, ACME), NOW, absurd, LATER);
        Outcome first = ledger().reserve("node", "call-2", List.of(softOnly), NOW, absurd, LATER);
        Outcome second = ledger().reserve("node", "call-3", List.of(softOnly), NOW, absurd, LATER);

        assertThat(refused)
                .isInstanceOfSatisfying(
                        Outcome.Refused.class, r -> assertThat(r.budget()).isEqualTo(ACME));
        assertThat(first).isInstanceOf(Outcome.Held.class);
        assertThat(second).isInstanceOf(Outcome.Held.class);
        assertThat(ledger().standing(softOnly, NOW).reserved())
                .isEqualByComparingTo(LedgerTable.MAX_HOLD.multiply(BigDecimal.TWO));
        var after = ledger().settle("call-2", List.of(softOnly), NOW, usd("0.01"));
        assertThat(after.getFirst().spent()).isEqualByComparingTo("0.01");
        assertThat(after.getFirst().reserved()).isEqualByComparingTo(LedgerTable.MAX_HOLD);
    }

    @Test
    void aNewPeriod_startsFromTheRecordedDecisions() {
        store.decisionLog().append(SpendSourceContract.costing("acme", "k1", "gpt", NOW.minusSeconds(60), "0.9"));

        Outcome refused = ledger().reserve("node", "call-1", List.of(ACME), NOW, usd("0.2"), LATER);

        assertThat(refused).isInstanceOf(Outcome.Refused.class);
        assertThat(ledger().standing(ACME, NOW).spent()).isEqualByComparingTo("0.9");
    }

    @Test
    void concurrentReservationsFromTwoNodes_neverHoldMoreThanTheLimit() throws Exception {
        List<Future<Outcome>> outcomes = new ArrayList<>();
        try (Store otherNode = database.open();
                var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 40; i++) {
                BudgetLedger ledger = i % 2 == 0 ? store.budgetLedger() : otherNode.budgetLedger();
                String holder = "call-" + i;
                outcomes.add(threads.submit(
                        () -> ledger.reserve("node", holder, List.of(ACME, GPT), NOW, usd("0.1"), LATER)));
            }
            int held = 0;
            for (Future<Outcome> o : outcomes) {
                held += o.get() instanceof Outcome.Held ? 1 : 0;
            }
            assertThat(held).isEqualTo(10);
        }
        assertThat(ledger().standing(ACME, NOW).reserved()).isEqualByComparingTo("1");
    }

    @Test
    void theReservationsOfAStoppedNode_areReleasedOnceExpired_whileARenewedNodeKeepsItsOwn() {
        ledger().reserve("stopped", "call-1", List.of(ACME), NOW, usd("0.5"), NOW.plusSeconds(10));
        ledger().reserve("running", "call-2", List.of(ACME), NOW, usd("0.3"), NOW.plusSeconds(10));
        ledger().renew("running", NOW.plusSeconds(100));

        int released = ledger().releaseExpired(NOW.plusSeconds(11));

        assertThat(released).isEqualTo(1);
        assertThat(ledger().standing(ACME, NOW).reserved()).isEqualByComparingTo("0.3");
        // a call whose reservation was released still counts what it cost when it settles, and releases nothing twice
        var after = ledger().settle("call-1", List.of(ACME), NOW, usd("0.2"));
        assertThat(after.getFirst().spent()).isEqualByComparingTo("0.2");
        assertThat(after.getFirst().reserved()).isEqualByComparingTo("0.3");
    }

    @Test
    void aReservationMadeThroughBudgets_isReleasedOnlyOnceItsTtlHasPassed_countedFromTheBudgetsClock() {
        var fake = new FakeTime(NOW);
        try (var budgets = new Budgets(List.of(ACME), ledger(), fake.time().clock(), Duration.ofSeconds(30), null)) {
            fake.advance(Duration.ofSeconds(5));
            budgets.reserve("call-1", "acme", "k1", "gpt", usd("0.4"));

            fake.advance(Duration.ofSeconds(30));
            assertThat(ledger().releaseExpired(fake.clock().instant()))
                    .as("exactly at its ttl")
                    .isZero();
            fake.advance(Duration.ofNanos(1));
            assertThat(ledger().releaseExpired(fake.clock().instant()))
                    .as("just past it")
                    .isEqualTo(1);
            assertThat(ledger().standing(ACME, fake.clock().instant()).reserved())
                    .isZero();
        }
    }

    @Test
    void aTokenBucket_givesUpToItsCapacity_thenRefillsOverTime() {
        TokenBuckets buckets = store.tokenBuckets();

        assertThat(buckets.tryTake("requests:k1", 3, 1, NOW)).isZero();
        assertThat(buckets.tryTake("requests:k1", 3, 2, NOW)).isZero();
        long wait = buckets.tryTake("requests:k1", 3, 1, NOW);

        assertThat(Duration.ofNanos(wait)).isEqualTo(Duration.ofSeconds(20));
        assertThat(buckets.tryTake("requests:k1", 3, 1, NOW.plusSeconds(20))).isZero();
        buckets.adjust("requests:k1", 3, 1, NOW.plusSeconds(20));
        assertThat(buckets.tryTake("requests:k1", 3, 1, NOW.plusSeconds(20))).isZero();
        assertThat(buckets.tryTake("requests:k2", 3, 3, NOW))
                .as("buckets are separate")
                .isZero();
    }
}
