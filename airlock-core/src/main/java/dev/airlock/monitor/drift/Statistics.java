package dev.airlock.monitor.drift;

import java.util.Arrays;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.inference.ChiSquareTest;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.apache.commons.statistics.inference.SignificanceResult;
import org.jspecify.annotations.Nullable;

/**
 * The drift statistics, each on exact samples and on sketches or counts. Tests come from Apache Commons Statistics
 * and ranks from DataSketches; what is written here is only the arithmetic those libraries do not offer (sums over
 * bins, the step-function integral of Wasserstein-1). docs/monitoring.md, "Drift statistics", says how each is
 * computed; {@code make_fixtures.py} computes the same with SciPy and the tests hold both to 1e-6.
 */
final class Statistics {

    /** Bins for PSI and Jensen–Shannon on numbers: edges at the reference's deciles. */
    static final int QUANTILE_BINS = 10;

    /** The floor under the reference's standard deviation when normalising Wasserstein (as the baseline). */
    static final double MIN_STD = 0.001;

    /** The share an empty bin gets in PSI, unless smaller shares exist (then the smallest share / 10^6). */
    static final double EMPTY_BIN_SHARE = 1e-4;

    private static final NormalDistribution STANDARD_NORMAL = NormalDistribution.of(0, 1);

    private Statistics() {}

    /** A statistic and, for a test, its p-value. */
    record Outcome(double statistic, @Nullable Double pValue) {}

    /**
     * Two-sample Kolmogorov–Smirnov on exact samples: Commons' {@link KolmogorovSmirnovTest} with its defaults
     * (two-sided; exact p-value when both samples are smaller than 10,000, else asymptotic).
     */
    static Outcome ks(double[] reference, double[] current) {
        KolmogorovSmirnovTest.TwoResult r = KolmogorovSmirnovTest.withDefaults().test(reference, current);
        return new Outcome(r.getStatistic(), r.getPValue());
    }

    /**
     * Kolmogorov–Smirnov when either side is a sketch: D is the largest gap between the two CDFs over every value
     * either side holds (DataSketches' getCDF at those points), so it is within the sum of the two sketches'
     * normalised rank errors of the exact D. The p-value is the asymptotic one Commons uses for large samples.
     */
    static Outcome ks(Distribution reference, Distribution current) {
        double[] points = union(reference.support(), current.support());
        double[] f = reference.cdf(points);
        double[] g = current.cdf(points);
        double d = 0;
        for (int i = 0; i < points.length; i++) {
            d = Math.max(d, Math.abs(f[i] - g[i]));
        }
        return new Outcome(d, ksAsymptoticP(d, reference.count(), current.count()));
    }

    /**
     * The two-sided asymptotic p-value of a two-sample D: the one-sample Kolmogorov–Smirnov distribution's survival
     * at d for n' = round(n·m / (n + m)), which is how Commons (and SciPy's "asymp") do it. Commons does not expose
     * that distribution, so it is reached through its one-sample test: n' evenly spaced points against a uniform CDF
     * shifted so that the one-sample D is exactly d. Takes n' doubles for the moment of the call.
     */
    static double ksAsymptoticP(double d, long n, long m) {
        long effective = Math.round((double) n * m / (n + m));
        if (effective < 2) {
            return 1;
        }
        int size = (int) Math.min(effective, Integer.MAX_VALUE - 8);
        double shift = d - 0.5 / size;
        if (shift <= 0) {
            return 1; // d at or below 1/(2n'): every sample is at least that far
        }
        double[] grid = new double[size];
        for (int i = 0; i < size; i++) {
            grid[i] = (i + 0.5) / size;
        }
        return KolmogorovSmirnovTest.withDefaults().test(grid, x -> x - shift).getPValue();
    }

    /**
     * Chi-square test of homogeneity on the counts of every category seen on either side (a 2 × k table; no
     * continuity correction): Commons' {@link ChiSquareTest#test(long[], long[])}. One category only: nothing to
     * compare, p = 1.
     */
    static Outcome chiSquare(Map<String, Long> reference, Map<String, Long> current) {
        String[] keys = keys(reference, current);
        if (keys.length < 2) {
            return new Outcome(0, 1.0);
        }
        SignificanceResult r = ChiSquareTest.withDefaults().test(counts(keys, reference), counts(keys, current));
        return new Outcome(r.getStatistic(), r.getPValue());
    }

    /**
     * Two-proportion Z-test on a column of at most two categories: p1, p2 the shares of the second category (in
     * sorted order) in reference and current, P the pooled share, z = (p1 − p2) / √(P(1 − P)(1/n1 + 1/n2)), two-sided
     * p = 2·(1 − Φ(|z|)) with Φ from Commons' {@link NormalDistribution}. P of 0 or 1: p = 1.
     */
    static Outcome z(Map<String, Long> reference, Map<String, Long> current) {
        String[] keys = keys(reference, current);
        if (keys.length > 2) {
            throw new IllegalArgumentException("the Z-test compares two categories, the column has " + keys.length + " "
                    + Arrays.toString(keys) + "; use chisquare or jensenshannon");
        }
        double n1 = total(reference);
        double n2 = total(current);
        if (keys.length < 2) {
            return new Outcome(0, 1.0);
        }
        double p1 = reference.getOrDefault(keys[1], 0L) / n1;
        double p2 = current.getOrDefault(keys[1], 0L) / n2;
        double pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
        double variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2);
        if (variance == 0) {
            return new Outcome(0, 1.0);
        }
        double z = (p1 - p2) / Math.sqrt(variance);
        return new Outcome(z, 2 * STANDARD_NORMAL.survivalProbability(Math.abs(z)));
    }

    /** PSI: Σ (r − c)·ln(r / c) over bins, zero shares replaced as {@link #fillEmpty(double[])} says. */
    static double psi(double[] referenceShares, double[] currentShares) {
        double[] r = fillEmpty(referenceShares);
        double[] c = fillEmpty(currentShares);
        double sum = 0;
        for (int i = 0; i < r.length; i++) {
            sum += (r[i] - c[i]) * Math.log(r[i] / c[i]);
        }
        return sum;
    }

    /**
     * Jensen–Shannon distance in nats (SciPy's {@code jensenshannon} with its default base): √((KL(r‖m) + KL(c‖m))
     * / 2), m = (r + c) / 2, each side normalised to sum 1; no smoothing (0·ln 0 = 0). Between 0 and √ln 2 ≈ 0.833.
     */
    static double jensenShannon(double[] referenceShares, double[] currentShares) {
        double[] r = normalised(referenceShares);
        double[] c = normalised(currentShares);
        double divergence = 0;
        for (int i = 0; i < r.length; i++) {
            double m = (r[i] + c[i]) / 2;
            divergence += relativeEntropy(r[i], m) + relativeEntropy(c[i], m);
        }
        return Math.sqrt(Math.max(0, divergence / 2));
    }

    /**
     * Wasserstein-1 distance, ∫|F − G| dx, divided by max(reference std, 0.001) as the baseline does. The CDFs are
     * step functions between the values either side holds, so the integral is the exact sum Σ (x[i+1] − x[i])·|F(x[i])
     * − G(x[i])| over their union: exact for samples (SciPy's wasserstein_distance), within (ε_r + ε_c)·(max − min)
     * before normalising for sketches with rank errors ε.
     */
    static double wasserstein(Distribution reference, Distribution current) {
        double[] points = union(reference.support(), current.support());
        double[] f = reference.cdf(points);
        double[] g = current.cdf(points);
        double area = 0;
        for (int i = 0; i + 1 < points.length; i++) {
            area += (points[i + 1] - points[i]) * Math.abs(f[i] - g[i]);
        }
        return area / Math.max(reference.std(), MIN_STD);
    }

    /**
     * The inner bin edges for numbers: the reference's k/10 quantiles (inverted CDF: the ⌈k·n/10⌉-th smallest
     * value), duplicates dropped. Bins are (−∞, e1], (e1, e2], …, (e_last, ∞), so values beyond the reference's range
     * still land in the outer bins.
     */
    static double[] quantileEdges(Distribution reference) {
        SortedSet<Double> edges = new TreeSet<>();
        for (int k = 1; k < QUANTILE_BINS; k++) {
            edges.add(reference.quantile(k, QUANTILE_BINS));
        }
        return edges.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The share of a distribution in each bin that the inner edges make (one more bin than edges). */
    static double[] binShares(Distribution values, double[] edges) {
        double[] cdf = values.cdf(edges);
        double[] shares = new double[edges.length + 1];
        double previous = 0;
        for (int i = 0; i < edges.length; i++) {
            shares[i] = Math.max(0, cdf[i] - previous);
            previous = cdf[i];
        }
        shares[edges.length] = Math.max(0, 1 - previous);
        return shares;
    }

    /** Each category's share of its side, over the union of categories in sorted order. */
    static double[] categoryShares(String[] keys, Map<String, Long> counts) {
        double total = total(counts);
        double[] shares = new double[keys.length];
        for (int i = 0; i < keys.length; i++) {
            shares[i] = total == 0 ? 0 : counts.getOrDefault(keys[i], 0L) / total;
        }
        return shares;
    }

    /** The categories present (count above 0) on either side, sorted. */
    static String[] keys(Map<String, Long> reference, Map<String, Long> current) {
        SortedSet<String> keys = new TreeSet<>();
        reference.forEach((k, v) -> {
            if (v > 0) {
                keys.add(k);
            }
        });
        current.forEach((k, v) -> {
            if (v > 0) {
                keys.add(k);
            }
        });
        return keys.toArray(String[]::new);
    }

    static long total(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Zero shares replaced so that PSI's logarithm is defined, as the baseline does: by 0.0001, or by the smallest
     * non-zero share / 10^6 when that share is itself at most 0.0001.
     */
    static double[] fillEmpty(double[] shares) {
        double smallest = Arrays.stream(shares).filter(s -> s > 0).min().orElse(1);
        double fill = smallest <= EMPTY_BIN_SHARE ? smallest / 1e6 : EMPTY_BIN_SHARE;
        return Arrays.stream(shares).map(s -> s == 0 ? fill : s).toArray();
    }

    private static long[] counts(String[] keys, Map<String, Long> counts) {
        long[] out = new long[keys.length];
        for (int i = 0; i < keys.length; i++) {
            out[i] = counts.getOrDefault(keys[i], 0L);
        }
        return out;
    }

    private static double[] normalised(double[] shares) {
        double sum = Arrays.stream(shares).sum();
        return Arrays.stream(shares).map(s -> sum == 0 ? 0 : s / sum).toArray();
    }

    private static double relativeEntropy(double p, double q) {
        return p == 0 ? 0 : p * Math.log(p / q);
    }

    /** The sorted union of two ascending arrays of distinct values. */
    static double[] union(double[] a, double[] b) {
        double[] out = new double[a.length + b.length];
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < a.length || j < b.length) {
            double next;
            if (j >= b.length || (i < a.length && a[i] <= b[j])) {
                next = a[i++];
            } else {
                next = b[j++];
            }
            if (k == 0 || out[k - 1] != next) {
                out[k++] = next;
            }
        }
        return Arrays.copyOf(out, k);
    }
}
