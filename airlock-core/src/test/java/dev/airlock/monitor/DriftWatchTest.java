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
import dev.airlock.time.FakeTime;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DriftWatchTest {
    private static final ProfileSpec SPEC = new ProfileSpec(
            RequestKind.PREDICT,
            Map.of("income", ColumnKind.NUMERIC, "age", ColumnKind.NUMERIC, "region", ColumnKind.CATEGORICAL),
            "default",
            "repay",
            ProfileSpec.DEFAULT_MISSING,
            Duration.ofHours(1));
    private static final List<String> REGIONS = List.of("north", "south", "east", "west");

    private final FakeTime time = new FakeTime();
    private final InMemoryProfileStore store = new InMemoryProfileStore();
    private final Profiler profiler = new Profiler(store, "node", (model, version, kind) -> SPEC);
    private final Profiles profiles =
            new Profiles(store, profiler, catalog(), (a, t, actor, target, d) -> null, time.clock());
    private final DriftWatch watch = new DriftWatch(profiles);
    private final Random random = new Random(7);

    @Test
    void shiftedIncome_drifts_whileAgeAndRegionDoNot() {
        putReference();
        for (int i = 0; i < 400; i++) {
            call(60_000 + 10_000 * random.nextGaussian(), i % 2 == 0 ? "default" : "repay");
        }
        time.advance(Duration.ofHours(3)); // windows of the last day are merged
        for (int i = 0; i < 400; i++) {
            call(60_000 + 10_000 * random.nextGaussian(), i % 2 == 0 ? "default" : "repay");
        }

        var result = watch.check("scorer", null, DriftWatch.DEFAULT_SINCE, DriftOptions.defaults());

        var report = (DriftWatch.Report) result;
        assertThat(report.version()).isEqualTo("1.0.0");
        assertThat(report.calls()).isEqualTo(800);
        assertThat(report.referenceRows()).isEqualTo(1000);
        Map<String, ColumnDrift> columns =
                report.report().columns().stream().collect(Collectors.toMap(ColumnDrift::name, c -> c));
        assertThat(columns).containsOnlyKeys("income", "age", "region", "predicted_class");
        assertThat(columns.get("income").drifted()).isTrue();
        assertThat(columns.get("income").current().values()).isEqualTo(800);
        assertThat(columns.get("age").drifted()).isFalse();
        assertThat(columns.get("region").drifted()).isFalse();
        assertThat(columns.get("predicted_class").current().values()).isEqualTo(800);
    }

    @Test
    void onlyTheWindowsAskedFor_areCompared() {
        putReference();
        call(60_000, "repay");
        time.advance(Duration.ofHours(30));
        call(40_000, "repay");

        var report =
                (DriftWatch.Report) watch.check("scorer", "1.0.0", DriftWatch.DEFAULT_SINCE, DriftOptions.defaults());

        assertThat(report.calls()).isEqualTo(1);
    }

    @Test
    void withoutReferenceOrTraffic_orForUnknownNames_theResultSaysWhy() {
        var since = DriftWatch.DEFAULT_SINCE;
        var options = DriftOptions.defaults();

        assertThat(watch.check("scorer", null, since, options))
                .isEqualTo(new DriftWatch.NoReference("scorer", "1.0.0"));
        putReference();
        assertThat(watch.check("scorer", null, since, options)).isInstanceOf(DriftWatch.NoTraffic.class);
        assertThat(watch.check("nope", null, since, options)).isEqualTo(new DriftWatch.UnknownModel("nope"));
        assertThat(watch.check("scorer", "9", since, options))
                .isEqualTo(new DriftWatch.UnknownVersion("scorer", "9", List.of("1.0.0")));
    }

    @Test
    void aValueOfTheWrongType_isCountedAsATypeError_notCompared() {
        putReference();
        profiler.observe(
                Calls.decision("scorer", "1.0.0", time.clock().instant()),
                Calls.request("scorer", Map.of("income", 50_000, "age", 40, "region", 3)),
                Calls.prediction("repay", 0.1));

        var report = (DriftWatch.Report) watch.check("scorer", null, DriftWatch.DEFAULT_SINCE, DriftOptions.defaults());

        ColumnDrift region = report.report().columns().stream()
                .filter(c -> c.name().equals("region"))
                .findFirst()
                .orElseThrow();
        assertThat(region.current().typeErrors()).isEqualTo(1);
        assertThat(region.skipped()).isNotNull();
    }

    private void putReference() {
        StringBuilder csv = new StringBuilder("income,age,region,default\n");
        for (int i = 0; i < 1000; i++) {
            csv.append(Math.round(50_000 + 10_000 * random.nextGaussian()))
                    .append(',')
                    .append(Math.round(40 + 10 * random.nextGaussian()))
                    .append(',')
                    .append(REGIONS.get(i % 4))
                    .append(',')
                    .append(i % 2)
                    .append('\n');
        }
        assertThat(profiles.putReference("scorer", "1.0.0", new StringReader(csv.toString()), "test"))
                .isInstanceOf(Profiles.Stored.class);
    }

    private void call(double income, String label) {
        profiler.observe(
                Calls.decision("scorer", "1.0.0", time.clock().instant()),
                Calls.request(
                        "scorer",
                        Map.of(
                                "income",
                                income,
                                "age",
                                Math.round(40 + 10 * random.nextGaussian()),
                                "region",
                                REGIONS.get(random.nextInt(4)))),
                Calls.prediction(label, 0.3));
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
                .build();
    }
}
