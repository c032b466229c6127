package dev.airlock.monitor.drift;

import java.util.Arrays;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.DoublesSortedView;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * The numbers of one column as a distribution: exactly (a sorted sample) or approximately (a KLL sketch, whose ranks
 * are within its normalised rank error). Every numeric statistic reads a column only through this, so each works on
 * both. Ranks are inclusive: {@code cdf(x)} is the share of values at or below x.
 */
sealed interface Distribution {

    /** How many values. */
    long count();

    /** The distinct values seen (a sketch: the distinct values it retains), ascending. */
    double[] support();

    /** The share of values at or below each point; points ascending and distinct. */
    double[] cdf(double[] points);

    /** The smallest value whose cdf is at least {@code k / of} (the inverted-CDF quantile). */
    double quantile(int k, int of);

    double min();

    double max();

    double mean();

    /** The population standard deviation (divides by n, as numpy's default). */
    double std();

    /** The bound on any rank this distribution returns, as a share: 0 when exact. */
    double rankError();

    static Distribution of(ColumnProfile column) {
        return switch (column) {
            case ColumnProfile.Numbers n -> new Exact(n.values());
            case ColumnProfile.Sketch s -> new Sketched(s.sketch());
            case ColumnProfile.Categories c ->
                throw new IllegalArgumentException("column '" + c.name() + "' holds categories, not numbers");
        };
    }

    /** A sorted copy of an exact sample. */
    record Exact(double[] sorted) implements Distribution {
        public Exact {
            sorted = sorted.clone();
            Arrays.sort(sorted);
        }

        @Override
        public long count() {
            return sorted.length;
        }

        @Override
        public double[] support() {
            return Arrays.stream(sorted).distinct().toArray();
        }

        @Override
        public double[] cdf(double[] points) {
            double[] out = new double[points.length];
            for (int i = 0; i < points.length; i++) {
                out[i] = (double) atOrBelow(points[i]) / sorted.length;
            }
            return out;
        }

        private int atOrBelow(double x) {
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

        @Override
        public double quantile(int k, int of) {
            // the ceil(k * n / of)-th smallest value, in integers so that no rounding moves an edge
            long index = ((long) k * sorted.length + of - 1) / of - 1;
            return sorted[(int) Math.max(0, Math.min(sorted.length - 1, index))];
        }

        @Override
        public double min() {
            return sorted[0];
        }

        @Override
        public double max() {
            return sorted[sorted.length - 1];
        }

        @Override
        public double mean() {
            double sum = 0;
            for (double v : sorted) {
                sum += v;
            }
            return sum / sorted.length;
        }

        @Override
        public double std() {
            double mean = mean();
            double squares = 0;
            for (double v : sorted) {
                squares += (v - mean) * (v - mean);
            }
            return Math.sqrt(squares / sorted.length);
        }

        @Override
        public double rankError() {
            return 0;
        }
    }

    /**
     * A KLL sketch. Its ranks (cdf, quantiles) come from DataSketches itself; mean and standard deviation are
     * weighted sums over the items it retains, each standing for as many values as its weight.
     */
    record Sketched(KllDoublesSketch sketch) implements Distribution {
        private static final QuantileSearchCriteria INCLUSIVE = QuantileSearchCriteria.INCLUSIVE;

        @Override
        public long count() {
            return sketch.getN();
        }

        @Override
        public double[] support() {
            return Arrays.stream(sketch.getSortedView().getQuantiles())
                    .distinct()
                    .toArray();
        }

        @Override
        public double[] cdf(double[] points) {
            if (points.length == 0) {
                return new double[0];
            }
            // getCDF returns one more entry (the total, 1.0) after the last split point
            return Arrays.copyOf(sketch.getCDF(points, INCLUSIVE), points.length);
        }

        @Override
        public double quantile(int k, int of) {
            return sketch.getQuantile((double) k / of, INCLUSIVE);
        }

        @Override
        public double min() {
            return sketch.getMinItem();
        }

        @Override
        public double max() {
            return sketch.getMaxItem();
        }

        @Override
        public double mean() {
            DoublesSortedView view = sketch.getSortedView();
            double[] items = view.getQuantiles();
            long[] cumulative = view.getCumulativeWeights();
            double sum = 0;
            long previous = 0;
            for (int i = 0; i < items.length; i++) {
                sum += items[i] * (cumulative[i] - previous);
                previous = cumulative[i];
            }
            return sum / previous;
        }

        @Override
        public double std() {
            double mean = mean();
            DoublesSortedView view = sketch.getSortedView();
            double[] items = view.getQuantiles();
            long[] cumulative = view.getCumulativeWeights();
            double squares = 0;
            long previous = 0;
            for (int i = 0; i < items.length; i++) {
                squares += (items[i] - mean) * (items[i] - mean) * (cumulative[i] - previous);
                previous = cumulative[i];
            }
            return Math.sqrt(squares / previous);
        }

        @Override
        public double rankError() {
            return sketch.isEstimationMode() ? sketch.getNormalizedRankError(false) : 0;
        }
    }
}
