package dev.airlock.bench;

import dev.airlock.decision.Decision;
import dev.airlock.decision.Outcome;
import dev.airlock.decision.RequestKind;
import dev.airlock.decision.Usage;
import dev.airlock.monitor.ColumnKind;
import dev.airlock.monitor.Profile;
import dev.airlock.monitor.ProfileSpec;
import dev.airlock.monitor.ProfileStore;
import dev.airlock.monitor.Profiler;
import dev.airlock.provider.PredictRequest;
import dev.airlock.provider.Prediction;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What profiling adds to a prediction of the loan-risk model (11 features, its predicted class and probability), on
 * the record path, and how many sketch updates one core does per second.
 *
 * <pre>
 * java -cp ... org.openjdk.jmh.Main ProfilerBench
 * </pre>
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ProfilerBench {
    private static final Map<String, ColumnKind> FEATURES = new LinkedHashMap<>();

    static {
        for (String n : List.of(
                "annual_income",
                "debt_to_income",
                "employment_years",
                "loan_amount",
                "loan_term_months",
                "credit_history_years",
                "delinquencies_2y",
                "open_credit_lines")) {
            FEATURES.put(n, ColumnKind.NUMERIC);
        }
        FEATURES.put("home_ownership", ColumnKind.CATEGORICAL);
        FEATURES.put("purpose", ColumnKind.CATEGORICAL);
        FEATURES.put("region", ColumnKind.CATEGORICAL);
    }

    private Profiler profiler;
    private Decision[] decisions;
    private PredictRequest[] requests;
    private Prediction[] answers;
    private KllDoublesSketch sketch;
    private double[] values;

    /** Per thread: which prepared call is next. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;
    }

    @Setup
    public void setUp() {
        var spec = new ProfileSpec(
                RequestKind.PREDICT, FEATURES, "default", "repay", ProfileSpec.DEFAULT_MISSING, Duration.ofHours(1));
        profiler = new Profiler(new Discard(), "bench", (model, version, kind) -> spec);
        var random = new SplittableRandom(7);
        int n = 4096;
        decisions = new Decision[n];
        requests = new PredictRequest[n];
        answers = new Prediction[n];
        Instant at = Instant.parse("2026-05-01T10:00:00Z");
        String[] homes = {"rent", "mortgage", "own"};
        String[] purposes = {"debt_consolidation", "home_improvement", "car", "small_business", "medical", "other"};
        String[] regions = {"north", "south", "east", "west"};
        for (int i = 0; i < n; i++) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("annual_income", 20_000 + random.nextInt(150_000));
            f.put("debt_to_income", random.nextDouble() * 0.8);
            f.put("employment_years", random.nextInt(30));
            f.put("loan_amount", 1_000 + random.nextInt(50_000));
            f.put("loan_term_months", random.nextBoolean() ? 36 : 60);
            f.put("credit_history_years", random.nextInt(40));
            f.put("delinquencies_2y", random.nextInt(3));
            f.put("open_credit_lines", random.nextInt(20));
            f.put("home_ownership", homes[random.nextInt(homes.length)]);
            f.put("purpose", purposes[random.nextInt(purposes.length)]);
            f.put("region", regions[random.nextInt(regions.length)]);
            requests[i] = new PredictRequest("loan-risk", f);
            double p = random.nextDouble();
            answers[i] = new Prediction(
                    p >= 0.5 ? "default" : "repay", Map.of("default", p, "repay", 1 - p), List.of(), List.of());
            decisions[i] = new Decision(
                    "d" + i,
                    at.plusMillis(i),
                    null,
                    RequestKind.PREDICT,
                    "loan-risk",
                    "1.0.0",
                    "onnx",
                    "loan-risk",
                    false,
                    new Outcome.Answered(),
                    Usage.NONE,
                    null,
                    1000,
                    500,
                    null,
                    null,
                    List.of(),
                    List.of(),
                    null);
        }
        sketch = KllDoublesSketch.newHeapInstance(200);
        values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextDouble() * 100_000;
        }
    }

    /** One prediction observed: 11 features, the predicted class and the probability (the watcher's whole work). */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void observePrediction(Cursor cursor) {
        int i = cursor.next++ & (decisions.length - 1);
        profiler.observe(decisions[i], requests[i], answers[i]);
    }

    /** One KLL sketch update (the per-number cost inside a profile). */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void kllUpdate(Cursor cursor) {
        sketch.update(values[cursor.next++ & (values.length - 1)]);
    }

    /** A store that keeps nothing: flushing is not what is measured. */
    static final class Discard implements ProfileStore {
        @Override
        public void mergePartial(String node, Profile partial) {}

        @Override
        public List<Profile> windows(String model, String version, Instant from, Instant to) {
            return List.of();
        }

        @Override
        public void putReference(Profile reference) {}

        @Override
        public Optional<Profile> reference(String model, String version) {
            return Optional.empty();
        }
    }
}
