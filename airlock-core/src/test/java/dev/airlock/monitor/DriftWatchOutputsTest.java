package dev.airlock.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.decision.RequestKind;
import dev.airlock.monitor.drift.DriftOptions;
import dev.airlock.monitor.drift.DriftReport.ColumnDrift;
import dev.airlock.provider.PredictRequest;
import dev.airlock.provider.Prediction;
import dev.airlock.provider.TabularModel;
import dev.airlock.registry.ModelCatalog;
import dev.airlock.registry.ModelSpec;
import dev.airlock.registry.ServedModel;
import dev.airlock.time.FakeTime;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A canary's predictions against production's over the same windows: what canary judgement reads. */
class DriftWatchOutputsTest {
    private static final ProfileSpec SPEC = new ProfileSpec(
            RequestKind.PREDICT,
            Map.of("income", ColumnKind.NUMERIC),
            "default",
            "repay",
            ProfileSpec.DEFAULT_MISSING,
            Duration.ofHours(1));

    private final FakeTime time = new FakeTime();
    private final InMemoryProfileStore store = new InMemoryProfileStore();
    private final Profiler profiler = new Profiler(store, "node", (model, version, kind) -> SPEC);
    private final Profiles profiles =
            new Profiles(store, profiler, catalog(), (a, t, actor, target, d) -> null, time.clock());
    private final DriftWatch watch = new DriftWatch(profiles);
    private final Random random = new Random(11);

    @Test
    void aVersionPredictingOtherwise_driftsFromTheBaseline_onItsOutputsOnly() {
        for (int i = 0; i < 300; i++) {
            call("1.0.0", i % 5 == 0 ? "default" : "repay", 0.2);
            call("1.1.0", i % 2 == 0 ? "default" : "repay", 0.5);
        }

        var report = (DriftWatch.Report)
                watch.compareOutputs("scorer", "1.0.0", "1.1.0", Duration.ZERO, DriftOptions.defaults());

        assertThat(report.version()).isEqualTo("1.1.0");
        assertThat(report.calls()).isEqualTo(300);
        assertThat(report.referenceRows()).isEqualTo(300);
        assertThat(report.report().columns())
                .extracting(ColumnDrift::name)
                .doesNotContain("income")
                .contains("predicted_class");
        assertThat(report.report().columns())
                .filteredOn(c -> c.name().equals("predicted_class"))
                .singleElement()
                .extracting(ColumnDrift::drifted)
                .isEqualTo(true);
        assertThat(report.report().share()).isGreaterThan(0.2);
    }

    @Test
    void aVersionPredictingAlike_doesNotDrift() {
        for (int i = 0; i < 300; i++) {
            call("1.0.0", i % 5 == 0 ? "default" : "repay", 0.2);
            call("1.1.0", i % 5 == 0 ? "default" : "repay", 0.2);
        }

        var report = (DriftWatch.Report)
                watch.compareOutputs("scorer", "1.0.0", "1.1.0", Duration.ZERO, DriftOptions.defaults());

        assertThat(report.report().drifted()).isZero();
    }

    @Test
    void aVersionWithoutCalls_isNoTraffic() {
        call("1.0.0", "repay", 0.2);

        assertThat(watch.compareOutputs("scorer", "1.0.0", "1.1.0", Duration.ZERO, DriftOptions.defaults()))
                .isInstanceOf(DriftWatch.NoTraffic.class);
    }

    private void call(String version, String label, double positive) {
        profiler.observe(
                Calls.decision("scorer", version, time.clock().instant()),
                Calls.request("scorer", Map.of("income", 50_000 + 1000 * random.nextGaussian())),
                Calls.prediction(label, positive + 0.05 * random.nextGaussian()));
    }

    private static ModelCatalog catalog() {
        TabularModel model = new TabularModel() {
            @Override
            public String name() {
                return "onnx";
            }

            @Override
            public Prediction predict(PredictRequest request) {
                throw new UnsupportedOperationException("not called");
            }
        };
        return ModelCatalog.builder()
                .add(new ModelSpec("scorer", RequestKind.PREDICT, "1.0.0", "onnx", "scorer", "", "", null), model)
                .addVersion(new ServedModel(
                        new ModelSpec("scorer", RequestKind.PREDICT, "1.1.0", "onnx", "scorer", "", "", null), model))
                .build();
    }
}
