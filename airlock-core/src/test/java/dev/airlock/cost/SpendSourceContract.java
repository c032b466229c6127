package dev.airlock.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.decision.Decision;
import dev.airlock.decision.DecisionLog;
import dev.airlock.decision.DecisionLogContract;
import dev.airlock.decision.Outcome;
import dev.airlock.decision.Principal;
import dev.airlock.decision.Role;
import dev.airlock.decision.Usage;
import java.math.BigDecimal;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SpendSource} must do over the Decisions recorded in its log: the store on SQLite and PostgreSQL
 * and {@link InMemorySpend} all pass it.
 */
public abstract class SpendSourceContract {
    /** An empty decision log that only the calling test uses. */
    protected abstract DecisionLog log();

    /** The spend summed from {@link #log()}. */
    protected abstract SpendSource spend();

    public static Decision costing(String tenant, String key, String model, Instant at, @Nullable String usd) {
        Decision d = DecisionLogContract.decision(tenant, at, new Outcome.Answered());
        return new Decision(
                d.id(),
                d.startedAt(),
                new Principal(tenant, key, Role.APP),
                d.kind(),
                model,
                d.modelVersion(),
                d.provider(),
                d.upstreamModel(),
                d.stream(),
                d.outcome(),
                new Usage(100, 10),
                usd == null ? null : new BigDecimal(usd),
                d.latencyMicros(),
                d.upstreamMicros(),
                d.inputSha256(),
                d.outputSha256(),
                d.reasons(),
                d.notes(),
                null);
    }

    @Test
    void spend_isSummedExactly_byScope_day_month_andGroup() {
        Instant day1 = Instant.parse("2026-03-30T10:00:00Z");
        Instant day2 = Instant.parse("2026-03-31T23:59:59Z");
        Instant april = Instant.parse("2026-04-01T00:00:00Z");
        log().append(costing("acme", "k1", "gpt", day1, "0.000000001"));
        log().append(costing("acme", "k1", "gpt", day1, "0.100000000"));
        log().append(costing("acme", "k2", "claude", day2, "0.25"));
        log().append(costing("acme", "k2", "claude", april, "1"));
        log().append(costing("acme", "k2", "local", april, null));
        log().append(costing("globex", "k9", "gpt", day1, "7"));

        var march = Instant.parse("2026-03-01T00:00:00Z");
        assertThat(spend().spent(Budget.Scope.TENANT, "acme", march, april)).isEqualByComparingTo("0.350000001");
        assertThat(spend().spent(Budget.Scope.KEY, "k2", march, april.plusSeconds(1)))
                .isEqualByComparingTo("1.25");
        assertThat(spend().spent(Budget.Scope.MODEL, "gpt", march, april)).isEqualByComparingTo("7.100000001");
        assertThat(spend().spent(Budget.Scope.TENANT, "nobody", march, april)).isZero();

        var byModel = spend().spend("acme", march, Instant.parse("2026-05-01T00:00:00Z"), "model", false);
        assertThat(byModel)
                .extracting(r -> r.period() + " " + r.group() + " " + r.requests() + " "
                        + r.cost().stripTrailingZeros().toPlainString() + " " + r.unpriced())
                .containsExactly(
                        "2026-03-30 gpt 2 0.100000001 0",
                        "2026-03-31 claude 1 0.25 0",
                        "2026-04-01 claude 1 1 0",
                        "2026-04-01 local 1 0 1");
        var monthly = spend().spend("acme", march, Instant.parse("2026-05-01T00:00:00Z"), null, true);
        assertThat(monthly)
                .extracting(r -> r.period() + " " + r.requests() + " " + r.inputTokens() + " "
                        + r.cost().stripTrailingZeros().toPlainString())
                .containsExactly("2026-03-01 3 300 0.350000001", "2026-04-01 2 200 1");
        assertThatThrownBy(() -> spend().spend("acme", march, april, "tenant", false))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
