package dev.airlock.pipeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/** Shadow comparisons in a list, for core tests; passes {@link ShadowLogContract}. */
public final class InMemoryShadowLog implements ShadowComparison.Log {
    private final List<ShadowComparison> comparisons = new ArrayList<>();

    @Override
    public synchronized void recordShadow(ShadowComparison comparison) {
        comparisons.add(comparison);
    }

    @Override
    public void shadowComparisons(String model, Instant from, Predicate<ShadowComparison> visitor) {
        List<ShadowComparison> matching;
        synchronized (this) {
            matching = comparisons.stream()
                    .filter(c -> c.model().equals(model) && !c.at().isBefore(from))
                    .sorted(Comparator.comparing(ShadowComparison::at).thenComparing(ShadowComparison::decisionId))
                    .toList();
        }
        for (ShadowComparison c : matching) {
            if (!visitor.test(c)) {
                return;
            }
        }
    }
}
