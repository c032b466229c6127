package dev.airlock.bench;

import dev.airlock.guard.InjectionGuard;
import dev.airlock.guard.InjectionHeuristics;
import dev.airlock.guard.WindowScore;
import dev.airlock.models.InjectionClassifier;
import dev.airlock.models.MiniLmEmbeddings;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
 * What the prompt-injection guard costs per call on a 200-word text: the work {@code InjectionGuard} does for one
 * read text, with the shipped classifier and the in-process all-MiniLM-L6-v2 model. {@code userMessage} is a user turn
 * (heuristics, then the classifier over the whole text); {@code toolDocument} the same words as a tool result (also
 * scored in sentence windows, all embedded in one call); {@code heuristicsOnly} the first layer alone.
 *
 * <pre>
 * java -cp ... org.openjdk.jmh.Main InjectionGuardBench
 * </pre>
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class InjectionGuardBench {
    /** About 200 words of a bank document in 11 sentences, with no attack in it (the common case). */
    static final String TEXT_200_WORDS = """
            Statement summary for the personal current account ending 4471, period 1 to 31 March. \
            The opening balance on 1 March was 2,310.55 EUR and the closing balance on 31 March was 1,876.02 EUR. \
            Forty-one card payments were made this month, for a total of 1,204.10 EUR, most of them in supermarkets, \
            pharmacies and public transport. \
            Two standing orders were paid on time: the rent of 850.00 EUR on the first working day and an insurance \
            premium of 32.40 EUR on the fifteenth. \
            A salary credit of 2,150.00 EUR arrived on 25 March, so the monthly account fee of 4.50 EUR was waived. \
            No overdraft was used during the period and no interest was charged. \
            One international transfer of 300.00 EUR to an account in Portugal cost a fee of 5.00 EUR. \
            A card payment of 89.99 EUR to an online retailer is under dispute; a temporary credit has been applied \
            while the merchant responds. \
            Your replacement card was sent on 12 March and the old card will stop working at the end of April. \
            Please check this statement and tell us within thirty days if anything looks wrong. \
            Thank you for banking with us.""";

    private MiniLmEmbeddings embeddings;
    private InjectionClassifier classifier;
    private Function<List<String>, List<WindowScore>> scorer;

    @Setup
    public void setUp() {
        embeddings = new MiniLmEmbeddings("bench");
        classifier = InjectionClassifier.bundled();
        scorer = texts -> classifier.scoreWindows(embeddings, texts);
        int words = TEXT_200_WORDS.split("\\s+").length;
        if (words < 190 || words > 210) {
            throw new IllegalStateException("the bench text has " + words + " words, not about 200");
        }
    }

    @Benchmark
    public double userMessage() {
        double h = InjectionHeuristics.score(TEXT_200_WORDS);
        return Math.max(h, scorer.apply(List.of(TEXT_200_WORDS)).getFirst().probability());
    }

    @Benchmark
    public double toolDocument() {
        double h = InjectionHeuristics.score(TEXT_200_WORDS);
        return Math.max(
                h,
                InjectionGuard.scoreDocuments(List.of(TEXT_200_WORDS), scorer)
                        .getFirst()
                        .probability());
    }

    @Benchmark
    public double heuristicsOnly() {
        return InjectionHeuristics.score(TEXT_200_WORDS);
    }
}
