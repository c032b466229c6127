package dev.airlock.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.decision.Decision;
import dev.airlock.decision.Outcome;
import dev.airlock.decision.RequestKind;
import dev.airlock.decision.StageNote;
import dev.airlock.decision.Usage;
import dev.airlock.pipeline.Resolution;
import dev.airlock.pipeline.Resolve;
import dev.airlock.readiness.InMemoryEvidenceStore;
import dev.airlock.readiness.ReadinessGate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A canary whose answers are healthy but whose predictions are distributed unlike production's is rolled back, with
 * the drift as the reason; one whose predictions look like production's is left alone.
 */
class CanaryWatchTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    private final InMemoryDeploymentStore store = new InMemoryDeploymentStore();
    private final DeploymentDesk desk = new Registry(List.of(new Registry.Model(
                    "scorer", List.of("1", "2"), Map.of(), new ReadinessGate.Declared(null, false, null))))
            .desk(
                    store,
                    new InMemoryEvidenceStore(),
                    new InMemoryServedVersions(),
                    (action, tenant, actor, target, details) -> null,
                    Clock.fixed(NOW, ZoneOffset.UTC),
                    Duration.ZERO);
    private final AtomicReference<CanaryWatch.OutputDrift.Comparison> comparison = new AtomicReference<>();
    private final List<String> compared = new ArrayList<>();
    private final CanaryWatch watch = new CanaryWatch(
            desk.deployments(),
            model -> new CanaryWatch.Limits(0.05, null, 0.2),
            20,
            5,
            (model, canary, production, since) -> {
                compared.add(model + " " + canary + " vs " + production);
                return comparison.get();
            });

    @Test
    void predictionsDriftedFromProduction_rollTheCanaryBack_namingTheColumns() {
        desk.startCanary("scorer", "2", 0.1, "key:oper1");
        comparison.set(new CanaryWatch.OutputDrift.Comparison(0.5, List.of("predicted_class"), 5, 40));

        calls(40, Resolution.PRODUCTION, "1");
        calls(5, Resolution.CANARY, "2");

        assertThat(compared).containsExactly("scorer 2 vs 1");
        assertThat(desk.deployments().current("scorer").canary()).isNull();
        assertThat(store.deploymentChanges("scorer"))
                .extracting(DeploymentChange::reason)
                .anySatisfy(reason -> assertThat(reason)
                        .contains("canary 2: predictions drifted from production's (version 1)")
                        .contains("0.500 of its output columns (predicted_class)")
                        .contains("above the threshold 0.200"));
    }

    @Test
    void predictionsLikeProduction_leaveTheCanaryRunning_andAreComparedEveryMinCalls() {
        desk.startCanary("scorer", "2", 0.1, "key:oper1");
        comparison.set(new CanaryWatch.OutputDrift.Comparison(0.2, List.of(), 12, 40));

        calls(40, Resolution.PRODUCTION, "1");
        calls(12, Resolution.CANARY, "2");

        assertThat(compared).hasSize(2); // at the 5th and the 10th canary call: a profile merge is not per call
        assertThat(desk.deployments().current("scorer").canary()).isNotNull();
    }

    @Test
    void withoutADriftThreshold_predictionsAreNotCompared() {
        var plain = new CanaryWatch(
                desk.deployments(), model -> new CanaryWatch.Limits(0.05, null), 20, 5, (m, c, p, s) -> {
                    compared.add(m);
                    return new CanaryWatch.OutputDrift.Comparison(1, List.of("predicted_class"), 5, 5);
                });
        desk.startCanary("scorer", "2", 0.1, "key:oper1");

        for (int i = 0; i < 10; i++) {
            plain.observe(decision(i, Resolution.CANARY, "2"));
        }

        assertThat(compared).isEmpty();
        assertThat(desk.deployments().current("scorer").canary()).isNotNull();
    }

    private void calls(int n, String route, String version) {
        for (int i = 0; i < n; i++) {
            watch.observe(decision(i, route, version));
        }
    }

    private static Decision decision(int i, String route, String version) {
        return new Decision(
                "d-" + route + i,
                NOW,
                null,
                RequestKind.PREDICT,
                "scorer",
                version,
                "onnx",
                "scorer",
                false,
                new Outcome.Answered(),
                Usage.NONE,
                null,
                1000,
                500,
                null,
                null,
                List.of(),
                List.of(new StageNote(Resolve.STAGE, route, null)),
                null);
    }
}
