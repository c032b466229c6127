package dev.airlock.bench;

import dev.airlock.models.EntityModel;
import dev.airlock.pii.PiiDetector;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * What finding personal data costs per call on a 200-word text: the rules, checksums and word lists alone
 * ({@code rulesOnly}), and with the entity model for names and addresses ({@code withEntityModel}: one MiniLM run over
 * the text plus the token head). The model keeps the last 64 texts it read, so a guard, a policy and the retention
 * redactor reading one text pay once; {@code withEntityModelRepeated} is that second read.
 *
 * <pre>
 * java -cp ... org.openjdk.jmh.Main PiiDetectorBench -t 1
 * </pre>
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PiiDetectorBench {
    private PiiDetector rules;
    private EntityModel model;
    private PiiDetector withModel;
    private int round;

    @Setup
    public void setUp() {
        rules = new PiiDetector(null);
        model = new EntityModel();
        withModel = new PiiDetector(model);
        withModel.find("warm the model up");
    }

    @Benchmark
    public List<PiiDetector.Finding> rulesOnly() {
        return rules.find(InjectionGuardBench.TEXT_200_WORDS);
    }

    /** A text the model has not read before (a counter in front defeats its cache). */
    @Benchmark
    public List<PiiDetector.Finding> withEntityModel() {
        return withModel.find((round++) + " " + InjectionGuardBench.TEXT_200_WORDS);
    }

    @Benchmark
    public List<PiiDetector.Finding> withEntityModelRepeated() {
        return withModel.find(InjectionGuardBench.TEXT_200_WORDS);
    }
}
