package dev.airlock.monitor.outcome;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Outcome and error rates by the groups of one monitored attribute, and the two disparity measures: the demographic
 * parity difference (largest minus smallest favourable rate) and the disparate-impact ratio (smallest over largest
 * favourable rate; the four-fifths rule asks for at least 0.8). Rows without the attribute form the group {@value
 * #MISSING}.
 *
 * @param policy the attribute and limits
 * @param favourableClass the favourable outcome the rates count
 * @param groups one per value, sorted by value; each says whether it counts (has at least the policy's {@code
 *     minGroupSize} predictions)
 * @param parityDifference max − min favourable rate of the groups that count (NaN with fewer than two)
 * @param disparateImpact min / max favourable rate of the groups that count (NaN with fewer than two or when every
 *     rate is 0)
 * @param breaches the limits not met, as sentences; empty when all are met
 */
public record FairnessReport(
        FairnessPolicy policy,
        String favourableClass,
        List<Group> groups,
        double parityDifference,
        double disparateImpact,
        List<String> breaches) {
    public static final String MISSING = "(missing)";

    public FairnessReport {
        groups = List.copyOf(groups);
        breaches = List.copyOf(breaches);
    }

    /**
     * One group.
     *
     * @param value the attribute's value
     * @param predictions predictions for the group
     * @param favourableRate the share of them predicted favourable (selection rate)
     * @param labelled those with a label
     * @param errorRate the share of labelled predictions that were wrong, with its Wilson interval
     * @param falsePositiveRate of the actual negatives, the share predicted positive (NaN without any)
     * @param falseNegativeRate of the actual positives, the share predicted negative (NaN without any)
     * @param counted whether the group is large enough to count in the disparity measures
     */
    public record Group(
            String value,
            long predictions,
            double favourableRate,
            long labelled,
            Interval errorRate,
            double falsePositiveRate,
            double falseNegativeRate,
            boolean counted) {}

    /** The report over these predictions; the positive class is taken from them when no favourable class is set. */
    public static FairnessReport of(FairnessPolicy policy, List<KeptPrediction> predictions) {
        String favourable = policy.favourableClass() != null
                ? policy.favourableClass()
                : predictions.isEmpty() ? "" : predictions.getFirst().positiveClass();
        Map<String, List<KeptPrediction>> byValue = new TreeMap<>();
        for (KeptPrediction p : predictions) {
            String value = p.attributes().getOrDefault(policy.attribute(), MISSING);
            byValue.computeIfAbsent(value, v -> new ArrayList<>()).add(p);
        }
        List<Group> groups = new ArrayList<>();
        byValue.forEach((value, rows) -> groups.add(group(value, rows, favourable, policy.minGroupSize())));
        List<Group> counted = groups.stream().filter(Group::counted).toList();
        double max = counted.stream().mapToDouble(Group::favourableRate).max().orElse(Double.NaN);
        double min = counted.stream().mapToDouble(Group::favourableRate).min().orElse(Double.NaN);
        double difference = counted.size() < 2 ? Double.NaN : max - min;
        double ratio = counted.size() < 2 || max == 0 ? Double.NaN : min / max;
        return new FairnessReport(policy, favourable, groups, difference, ratio, breaches(policy, difference, ratio));
    }

    private static Group group(String value, List<KeptPrediction> rows, String favourable, int minGroupSize) {
        long favoured =
                rows.stream().filter(p -> p.predicted().equals(favourable)).count();
        List<KeptPrediction> labelled =
                rows.stream().filter(KeptPrediction::isLabelled).toList();
        long wrong = labelled.stream().filter(p -> !p.correct()).count();
        long negatives = labelled.stream().filter(p -> !p.actuallyPositive()).count();
        long positives = labelled.size() - negatives;
        long falsePositives = labelled.stream()
                .filter(p -> !p.actuallyPositive() && p.predictedPositive())
                .count();
        long falseNegatives = labelled.stream()
                .filter(p -> p.actuallyPositive() && !p.predictedPositive())
                .count();
        return new Group(
                value,
                rows.size(),
                (double) favoured / rows.size(),
                labelled.size(),
                Estimates.wilson(wrong, labelled.size()),
                negatives == 0 ? Double.NaN : (double) falsePositives / negatives,
                positives == 0 ? Double.NaN : (double) falseNegatives / positives,
                rows.size() >= minGroupSize);
    }

    private static List<String> breaches(FairnessPolicy policy, double difference, double ratio) {
        List<String> breaches = new ArrayList<>();
        @Nullable Double minRatio = policy.minDisparateImpact();
        if (minRatio != null && !Double.isNaN(ratio) && ratio < minRatio) {
            breaches.add(
                    String.format(Locale.ROOT, "disparate impact %.3f is below the minimum %.3f", ratio, minRatio));
        }
        @Nullable Double maxDifference = policy.maxParityDifference();
        if (maxDifference != null && !Double.isNaN(difference) && difference > maxDifference) {
            breaches.add(String.format(
                    Locale.ROOT, "parity difference %.3f is above the maximum %.3f", difference, maxDifference));
        }
        return breaches;
    }
}
