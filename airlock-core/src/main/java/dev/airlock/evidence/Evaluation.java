package dev.airlock.evidence;

import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A model scored on a raw production sample (messy rows included, as production sends them), against the outcomes
 * observed since, with the expectations the business case was built on adjusted to production.
 *
 * @param id unique, time-ordered id
 * @param model the model
 * @param modelVersion its version
 * @param at when it ran
 * @param sample the sample's file name and SHA-256
 * @param rows rows in the sample
 * @param scored rows the model could score (the rest were refused as invalid and count as wrong)
 * @param accuracy correct predictions over all rows
 * @param auc ranking quality over the scored rows, or NaN with one class only
 * @param pocAccuracy the accuracy the proof of concept showed, or null
 * @param productionDiscount how much of the PoC accuracy to expect to lose in production (0.2 to 0.4 is usual)
 * @param adjustedAccuracy the production-adjusted expectation: {@code pocAccuracy * (1 - productionDiscount)}
 * @param kpiBaseline the accuracy of the process the model replaces, or null
 * @param monthlyValueUsd expected value per month at the measured accuracy over the baseline, or null
 */
public record Evaluation(
        String id,
        String model,
        String modelVersion,
        Instant at,
        String sample,
        long rows,
        long scored,
        double accuracy,
        double auc,
        @Nullable Double pocAccuracy,
        @Nullable Double productionDiscount,
        @Nullable Double adjustedAccuracy,
        @Nullable Double kpiBaseline,
        @Nullable Double monthlyValueUsd) {
    public Evaluation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(at, "at");
    }

    /** Area under the ROC curve (Mann-Whitney, ties averaged); NaN when only one class is present. */
    public static double auc(double[] scores, boolean[] positive) {
        Integer[] order = new Integer[scores.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        double positiveRankSum = 0;
        long positives = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (positive[order[k]]) {
                    positiveRankSum += averageRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = scores.length - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }
}
