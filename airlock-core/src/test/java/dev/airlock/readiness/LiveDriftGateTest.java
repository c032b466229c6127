package dev.airlock.readiness;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The gate's thresholds check reads {@code thresholds.drift}: for the version scored, whether a reference profile
 * exists and how its recent traffic compares with it; drift above the threshold fails the check.
 */
class LiveDriftGateTest {
    private static final Duration DAY = Duration.ofHours(24);

    @Test
    void driftAboveTheThreshold_onRecentTraffic_failsTheThresholdsCheck_namingTheColumns() {
        var result = thresholds(new LiveDrift.Measured("2", DAY, 300, 0.4, List.of("annual_income", "purpose")));

        assertThat(result.passed()).isFalse();
        assertThat(result.detail())
                .isEqualTo("drift above its threshold on recent traffic: live drift of version 2: 0.400 of its"
                        + " columns drifted over 300 calls in the last 24h (threshold 0.2): annual_income, purpose");
    }

    @Test
    void driftWithinTheThreshold_passes_andSaysWhatWasMeasured() {
        var result = thresholds(new LiveDrift.Measured("2", DAY, 300, 0.1, List.of("region")));

        assertThat(result.passed()).isTrue();
        assertThat(result.detail())
                .startsWith(Readiness.WATCHED_THRESHOLDS)
                .endsWith("live drift of version 2: 0.100 of its columns drifted over 300 calls in the last 24h"
                        + " (threshold 0.2): region");
    }

    @Test
    void withoutTrafficOrReference_theCheckPasses_sayingSo() {
        assertThat(thresholds(new LiveDrift.NoTraffic("2", DAY)).detail())
                .endsWith("live drift: reference profile present, no live traffic yet on version 2 (last 24h)");
        assertThat(thresholds(new LiveDrift.NoReference("2")).detail())
                .endsWith("live drift: version 2 has no reference profile yet, so nothing watches its drift (a node"
                        + " builds it from monitoring.reference when it starts)");
        assertThat(thresholds(new LiveDrift.NoReference("2")).passed()).isTrue();
    }

    @Test
    void theGateAsksForTheVersionScored_andNotWithoutADriftThreshold() {
        List<String> asked = new ArrayList<>();
        LiveDrift drift = (model, version) -> {
            asked.add(model + "@" + version);
            return new LiveDrift.NoTraffic(version == null ? "1" : version, DAY);
        };
        var gate = new ReadinessGate(
                Map.of(
                        "scorer", new ReadinessGate.Declared(operations(0.2), true, 5.0),
                        "plain", new ReadinessGate.Declared(operations(null), true, 5.0)),
                new InMemoryEvidenceStore(),
                Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC),
                drift);

        gate.scorecard("scorer", "2");
        gate.scorecard("scorer", null);
        gate.scorecard("plain", "2");

        assertThat(asked).containsExactly("scorer@2", "scorer@null");
    }

    private static Readiness.Result thresholds(LiveDrift.Reading reading) {
        var evidence = new Readiness.Evidence(operations(0.2), true, 5.0, List.of(), List.of(), List.of(), List.of());
        return Readiness.evaluate("scorer", "2", evidence, reading).results().stream()
                .filter(r -> r.check() == Readiness.Check.THRESHOLDS)
                .findFirst()
                .orElseThrow();
    }

    private static Operations operations(Double drift) {
        return new Operations(
                "risk-team",
                "oncall@example.com",
                List.of("head@example.com"),
                "https://wiki.example/runbook",
                new Operations.Thresholds(100.0, 0.01, drift, 0.7, new BigDecimal("5")),
                null,
                List.of(),
                "every decline");
    }
}
