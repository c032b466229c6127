package dev.airlock.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ShadowComparison.Log} that keeps comparisons must do: the store on SQLite and PostgreSQL and
 * {@link InMemoryShadowLog} all pass it.
 */
public abstract class ShadowLogContract {
    /** An empty log that only the calling test uses. */
    protected abstract ShadowComparison.Log shadows();

    @Test
    void shadowComparisons_roundTrip_inTimeOrder_fromAnInstant() {
        Instant t0 = Instant.parse("2026-11-30T10:00:00Z");
        for (int i = 2; i >= 0; i--) {
            shadows()
                    .recordShadow(new ShadowComparison(
                            "p" + i,
                            "s" + i,
                            "support",
                            "1",
                            "2",
                            t0.plusSeconds(i),
                            i == 2 ? "failed" : "answered",
                            i == 0,
                            1_000 + i,
                            2_000 + i,
                            new BigDecimal("0.000123456"),
                            i == 2 ? null : new BigDecimal("0.5")));
        }
        List<ShadowComparison> read = new ArrayList<>();
        shadows().shadowComparisons("support", t0.plusSeconds(1), read::add);

        assertThat(read).extracting(ShadowComparison::decisionId).containsExactly("p1", "p2");
        assertThat(read.getFirst().productionCost()).isEqualByComparingTo("0.000123456");
        assertThat(read.get(1).shadowCost()).isNull();
        assertThat(read.get(1).shadowOutcome()).isEqualTo("failed");
        assertThat(read.getFirst().shadowMicros()).isEqualTo(2_001);
    }

    @Test
    void shadowComparisons_stopWhenTheVisitorSaysSo_andAreAModelsOwn() {
        Instant t0 = Instant.parse("2026-11-30T10:00:00Z");
        for (int i = 0; i < 3; i++) {
            shadows()
                    .recordShadow(new ShadowComparison(
                            "p" + i,
                            "s" + i,
                            i == 1 ? "other" : "support",
                            "1",
                            "2",
                            t0.plusSeconds(i),
                            "answered",
                            true,
                            1,
                            2,
                            null,
                            null));
        }
        List<String> read = new ArrayList<>();
        shadows().shadowComparisons("support", t0, c -> read.add(c.decisionId()) && false);

        assertThat(read).containsExactly("p0");
    }
}
