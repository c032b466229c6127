package dev.airlock.monitor.outcome;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.commons.statistics.distribution.NormalDistribution;

/** The interval estimates live metrics use, each at 95%. */
final class Estimates {
    /** The standard normal quantile for a two-sided 95% interval, from Commons Statistics: 1.959963984540054. */
    static final double Z = NormalDistribution.of(0, 1).inverseCumulativeProbability(0.975);

    /** Bootstrap resamples for the calibration error's interval; fixed seed, so a report is reproducible. */
    static final int RESAMPLES = 1000;

    private static final long SEED = 20261204L;

    private Estimates() {}

    /** A proportion with its Wilson score interval (good near 0 and 1 and for small n, unlike the normal one). */
    static Interval wilson(long successes, long n) {
        if (n == 0) {
            return Interval.none(0);
        }
        double p = (double) successes / n;
        double z2 = Z * Z;
        double centre = (p + z2 / (2.0 * n)) / (1 + z2 / n);
        double half = Z / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return new Interval(p, Math.max(0, centre - half), Math.min(1, centre + half), n);
    }

    /**
     * ROC AUC (Mann-Whitney, ties count half) with DeLong's interval: the variance from the structural components
     * (placement values) of positives and negatives, computed from mid-ranks in O(n log n).
     */
    static Interval aucDeLong(double[] scores, boolean[] positive) {
        int m = 0;
        for (boolean p : positive) {
            m += p ? 1 : 0;
        }
        int n = scores.length - m;
        if (m == 0 || n == 0) {
            return Interval.none(scores.length);
        }
        double[] pos = new double[m];
        double[] neg = new double[n];
        for (int i = 0, a = 0, b = 0; i < scores.length; i++) {
            if (positive[i]) {
                pos[a++] = scores[i];
            } else {
                neg[b++] = scores[i];
            }
        }
        double[] all = midRanks(scores);
        double[] within = midRanks(pos);
        double[] v10 = new double[m]; // per positive: share of negatives scored below it (ties half)
        for (int i = 0, a = 0; i < scores.length; i++) {
            if (positive[i]) {
                v10[a] = (all[i] - within[a]) / n;
                a++;
            }
        }
        double[] withinNeg = midRanks(neg);
        double[] v01 = new double[n]; // per negative: share of positives scored above it (ties half)
        for (int i = 0, b = 0; i < scores.length; i++) {
            if (!positive[i]) {
                v01[b] = 1 - (all[i] - withinNeg[b]) / m;
                b++;
            }
        }
        double auc = mean(v10);
        double variance = (m > 1 ? sampleVariance(v10) / m : 0) + (n > 1 ? sampleVariance(v01) / n : 0);
        double half = Z * Math.sqrt(variance);
        return new Interval(auc, Math.max(0, auc - half), Math.min(1, auc + half), scores.length);
    }

    /**
     * Expected calibration error over {@code bins} equal-width bins of the positive-class probability ({@code [0, 1/b)},
     * …, {@code [(b-1)/b, 1]}): the sum over bins of (share of rows in the bin) × |observed positive rate − mean
     * probability|. Its interval is the 2.5th to 97.5th percentile of {@value #RESAMPLES} bootstrap resamples.
     */
    static Interval calibrationError(double[] probabilities, boolean[] positive, int bins) {
        int size = probabilities.length;
        if (size == 0) {
            return Interval.none(0);
        }
        int[] all = new int[size];
        Arrays.setAll(all, i -> i);
        double ece = ece(probabilities, positive, all, bins);
        var random = new SplittableRandom(SEED);
        double[] resampled = new double[RESAMPLES];
        int[] rows = new int[size];
        for (int r = 0; r < RESAMPLES; r++) {
            for (int i = 0; i < size; i++) {
                rows[i] = random.nextInt(size);
            }
            resampled[r] = ece(probabilities, positive, rows, bins);
        }
        Arrays.sort(resampled);
        return new Interval(ece, resampled[(int) (0.025 * RESAMPLES)], resampled[(int) (0.975 * RESAMPLES) - 1], size);
    }

    static double ece(double[] probabilities, boolean[] positive, int[] rows, int bins) {
        long[] count = new long[bins];
        double[] probabilitySum = new double[bins];
        long[] positives = new long[bins];
        for (int row : rows) {
            int bin = Math.min(bins - 1, Math.max(0, (int) Math.floor(probabilities[row] * bins)));
            count[bin]++;
            probabilitySum[bin] += probabilities[row];
            positives[bin] += positive[row] ? 1 : 0;
        }
        double ece = 0;
        for (int b = 0; b < bins; b++) {
            if (count[b] > 0) {
                ece += (double) count[b]
                        / rows.length
                        * Math.abs((double) positives[b] / count[b] - probabilitySum[b] / count[b]);
            }
        }
        return ece;
    }

    /** Ranks from 1, ties given the average of the ranks they span. */
    static double[] midRanks(double[] values) {
        Integer[] order = new Integer[values.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
        double[] ranks = new double[values.length];
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && values[order[j + 1]] == values[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                ranks[order[k]] = rank;
            }
            i = j + 1;
        }
        return ranks;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static double sampleVariance(double[] values) {
        double mean = mean(values);
        double sum = 0;
        for (double v : values) {
            sum += (v - mean) * (v - mean);
        }
        return sum / (values.length - 1);
    }
}
