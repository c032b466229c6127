package dev.airlock.examples.loanrisk;

import java.util.Arrays;
import java.util.Comparator;

/** Discrimination and calibration of probability scores against 0/1 outcomes. */
final class Metrics {
    private Metrics() {}

    /** Area under the ROC curve: the chance a random defaulter scores above a random repayer (ties count half). */
    static double auc(double[] scores, boolean[] positive) {
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
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /** Mean negative log-likelihood, probabilities clipped to [1e-15, 1 - 1e-15]. */
    static double logLoss(double[] probabilities, boolean[] positive) {
        double sum = 0;
        for (int i = 0; i < probabilities.length; i++) {
            double p = Math.min(Math.max(probabilities[i], 1e-15), 1 - 1e-15);
            sum -= positive[i] ? StrictMath.log(p) : StrictMath.log(1 - p);
        }
        return sum / probabilities.length;
    }

    static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    static double rate(boolean[] flags) {
        int count = 0;
        for (boolean f : flags) {
            count += f ? 1 : 0;
        }
        return (double) count / flags.length;
    }
}
