package dev.airlock.readiness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.evidence.Evaluation;
import dev.airlock.evidence.LoadTestResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every {@link EvidenceStore} must do: the store on SQLite and PostgreSQL and {@link InMemoryEvidenceStore} all
 * pass it.
 */
public abstract class EvidenceStoreContract {
    private static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456789Z");

    /** An empty evidence store that only the calling test uses. */
    protected abstract EvidenceStore evidence();

    @Test
    void drillsAndWaivers_roundTrip() {
        var drill =
                new Drill("d1", "fallback", "assistant", T0, true, Map.of("calls", "20", "served_by_fallback", "20"));
        var waiver =
                new Waiver("assistant", "2", "evaluation", "pilot only", "cli:ops", T0, T0.plus(Waiver.DEFAULT_TERM));
        var evaluation = new Evaluation(
                "e1",
                "loan-risk",
                "1.0.0",
                T0,
                "sample.csv sha256:ab",
                2000,
                1870,
                0.71,
                0.759,
                0.8,
                0.3,
                0.56,
                0.62,
                null);
        evidence().recordDrill(drill);
        evidence().recordWaiver(waiver);
        evidence().recordEvaluation(evaluation);
        assertThat(evidence().evaluations("loan-risk")).containsExactly(evaluation);

        assertThat(evidence().drills("assistant")).containsExactly(drill);
        assertThat(evidence().waivers("assistant")).containsExactly(waiver);
        assertThat(evidence().drills("other")).isEmpty();
    }

    @Test
    void loadTestResults_roundTrip() {
        var result = new LoadTestResult(
                "lt1",
                "assistant",
                "7",
                T0,
                Duration.ofSeconds(30),
                10,
                50,
                15_000,
                14_000,
                990,
                10,
                12.5,
                88.25,
                301,
                4.5,
                Duration.ofMillis(100));

        evidence().recordLoadTest(result);

        assertThat(evidence().loadTests("assistant")).containsExactly(result);
        assertThat(evidence().loadTests("other")).isEmpty();
    }

    @Test
    void evidence_isListedOldestFirst() {
        var later = new Drill("d2", "rollback", "assistant", T0.plusSeconds(1), false, Map.of());
        var earlier = new Drill("d1", "fallback", "assistant", T0, true, Map.of());
        evidence().recordDrill(later);
        evidence().recordDrill(earlier);

        assertThat(evidence().drills("assistant")).containsExactly(earlier, later);
    }
}
