package dev.airlock.server.cli;

import java.util.Arrays;
import java.util.List;

/**
 * A detector's ROC on labelled scores: the area under it, and the recall at a bounded false-positive rate with the
 * threshold that gives it. A text counts as flagged when its score is at or over the threshold, as in the guard.
 *
 * <pre>{@code
 * Roc roc = Roc.of(scores, labels);
 * roc.recallAt(0.05); // the highest recall whose false-positive rate is at most 5%
 * }</pre>
 */
record Roc(double[] injection, double[] benign) {
    static Roc of(double[] scores, List<Boolean> labels) {
        double[] pos = new double[(int) labels.stream().filter(b -> b).count()];
        double[] neg = new double[scores.length - pos.length];
        int p = 0;
        int n = 0;
        for (int i = 0; i < scores.length; i++) {
            if (labels.get(i)) {
                pos[p++] = scores[i];
            } else {
                neg[n++] = scores[i];
            }
        }
        Arrays.sort(pos);
        Arrays.sort(neg);
        return new Roc(pos, neg);
    }

    /** The probability that an injection scores above a benign text (ties count half). */
    double auc() {
        if (injection.length == 0 || benign.length == 0) {
            return Double.NaN;
        }
        double wins = 0;
        for (double s : injection) {
            int below = lowerBound(benign, s);
            int notAbove = upperBound(benign, s);
            wins += below + (notAbove - below) / 2.0;
        }
        return wins / ((double) injection.length * benign.length);
    }

    /** The lowest threshold whose false-positive rate is at most {@code fpr}: just above the benign quantile. */
    double thresholdAt(double fpr) {
        return quantileAbove(benign, fpr);
    }

    double recallAt(double fpr) {
        if (injection.length == 0) {
            return Double.NaN;
        }
        double t = thresholdAt(fpr);
        return (injection.length - lowerBound(injection, t)) / (double) injection.length;
    }

    /**
     * The smallest score t such that at most {@code fpr} of {@code benign} score at or over t (a score just above a
     * benign score when one must be excluded).
     */
    static double quantileAbove(double[] benign, double fpr) {
        double[] sorted = benign.clone();
        Arrays.sort(sorted);
        int allowed = (int) Math.floor(fpr * sorted.length);
        if (sorted.length == 0) {
            return 0.5;
        }
        if (allowed >= sorted.length) {
            return sorted[0];
        }
        double edge = sorted[sorted.length - 1 - allowed];
        return Math.nextUp(edge);
    }

    private static int lowerBound(double[] sorted, double x) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int upperBound(double[] sorted, double x) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
