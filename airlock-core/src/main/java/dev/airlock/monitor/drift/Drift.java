package dev.airlock.monitor.drift;

import dev.airlock.monitor.drift.DriftReport.ColumnDrift;
import dev.airlock.monitor.drift.DriftReport.Counts;
import dev.airlock.monitor.drift.DriftReport.Histogram;
import dev.airlock.monitor.drift.Statistics.Outcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;
import org.jspecify.annotations.Nullable;

/**
 * Computes a {@link DriftReport} from a reference and a current set of column profiles.
 *
 * <p>Unless {@link DriftOptions} say otherwise, each column's method is chosen as the well-known open-source
 * baseline (Evidently) does: with a reference of at most 1,000 values, Kolmogorov–Smirnov for numbers and
 * chi-square for categories (the Z-test for two categories); above that, normalised Wasserstein for numbers and
 * Jensen–Shannon for categories. A numeric column with at most 5 distinct values on both sides together is compared
 * as categories (its values as labels). The dataset drifts when at least half of the compared columns drift.
 *
 * <pre>{@code
 * DriftReport report = Drift.report(referenceColumns, currentColumns, DriftOptions.defaults());
 * if (report.datasetDrift()) notifyOwner(report.text());
 * }</pre>
 */
public final class Drift {

    /** The reference size up to which tests are chosen, above which distances are. */
    public static final long SMALL_REFERENCE = 1000;

    /** Numbers with at most this many distinct values are compared as categories. */
    static final int DISCRETE_VALUES = 5;

    private static final int CHART_BINS = 20;
    private static final int CHART_CATEGORIES = 20;

    private Drift() {}

    /**
     * Compares each reference column with the current column of the same name.
     *
     * @throws IllegalArgumentException when a column is missing on one side, is numbers on one side and categories
     *     on the other, or is given a method that does not apply to it
     */
    public static DriftReport report(List<ColumnProfile> reference, List<ColumnProfile> current, DriftOptions options) {
        Map<String, ColumnProfile> byName = new HashMap<>();
        current.forEach(c -> byName.put(c.name(), c));
        List<ColumnDrift> rows = new ArrayList<>();
        for (ColumnProfile ref : reference) {
            ColumnProfile cur = byName.remove(ref.name());
            if (cur == null) {
                throw new IllegalArgumentException("column '" + ref.name() + "' is in the reference but not current");
            }
            rows.add(column(ref, cur, options));
        }
        if (!byName.isEmpty()) {
            throw new IllegalArgumentException(
                    "columns " + new TreeMap<>(byName).keySet() + " are in the current data but not the reference");
        }
        int drifted = (int) rows.stream().filter(ColumnDrift::drifted).count();
        int evaluated = (int) rows.stream().filter(r -> r.skipped() == null).count();
        double share = evaluated == 0 ? 0 : (double) drifted / evaluated;
        return new DriftReport(
                rows, drifted, evaluated, share, options.share(), evaluated > 0 && share >= options.share());
    }

    static ColumnDrift column(ColumnProfile ref, ColumnProfile cur, DriftOptions options) {
        String name = ref.name();
        if (ref.numeric() != cur.numeric()) {
            throw new IllegalArgumentException("column '" + name + "' is " + kind(ref.numeric())
                    + " in the reference but " + kind(cur.numeric()) + " in the current data");
        }
        Side r = Side.of(ref);
        Side c = Side.of(cur);
        boolean numeric = ref.numeric();
        boolean discrete = numeric && Statistics.union(r.support(), c.support()).length <= DISCRETE_VALUES;
        DriftMethod method = options.methodFor(name);
        if (method == null) {
            method = defaultMethod(numeric && !discrete, r.count(), r, c);
        } else if (!method.appliesTo(numeric)) {
            throw new IllegalArgumentException("column '" + name + "' holds " + kind(numeric) + "; drift method '"
                    + method.key() + "' applies to " + kind(!numeric));
        }
        Double configured = options.thresholdFor(name);
        double threshold = configured != null ? configured : method.defaultThreshold();
        Counts refCounts = new Counts(r.count(), ref.nulls(), ref.typeErrors());
        Counts curCounts = new Counts(c.count(), cur.nulls(), cur.typeErrors());
        double rankError = r.rankError() + c.rankError();
        Histogram chart = r.count() == 0 || c.count() == 0
                ? new Histogram(List.of(), List.of(), List.of())
                : chart(r, c, numeric && !discrete);
        String skipped = skipReason(method, r.count(), c.count());
        if (skipped != null) {
            return new ColumnDrift(
                    name,
                    numeric,
                    method,
                    Double.NaN,
                    null,
                    threshold,
                    false,
                    refCounts,
                    curCounts,
                    rankError,
                    skipped,
                    chart);
        }
        Outcome outcome = compute(method, r, c, numeric && !discrete, name);
        double score = outcome.pValue() != null ? outcome.pValue() : outcome.statistic();
        return new ColumnDrift(
                name,
                numeric,
                method,
                outcome.statistic(),
                outcome.pValue(),
                threshold,
                method.drifted(score, threshold),
                refCounts,
                curCounts,
                rankError,
                null,
                chart);
    }

    private static DriftMethod defaultMethod(boolean continuous, long referenceCount, Side r, Side c) {
        if (referenceCount <= SMALL_REFERENCE) {
            if (continuous) {
                return DriftMethod.KS;
            }
            return Statistics.keys(r.counts(), c.counts()).length > 2 ? DriftMethod.CHI_SQUARE : DriftMethod.Z;
        }
        return continuous ? DriftMethod.WASSERSTEIN : DriftMethod.JENSEN_SHANNON;
    }

    private static @Nullable String skipReason(DriftMethod method, long referenceCount, long currentCount) {
        long needed = method == DriftMethod.KS ? 2 : 1;
        if (referenceCount < needed || currentCount < needed) {
            return "needs at least " + needed + " value(s) on each side, has " + referenceCount + " (reference) and "
                    + currentCount + " (current)";
        }
        return null;
    }

    private static Outcome compute(DriftMethod method, Side r, Side c, boolean continuous, String name) {
        try {
            return switch (method) {
                case KS -> ks(r, c);
                case WASSERSTEIN -> new Outcome(Statistics.wasserstein(r.numbers(), c.numbers()), null);
                case CHI_SQUARE -> Statistics.chiSquare(r.counts(), c.counts());
                case Z -> Statistics.z(r.counts(), c.counts());
                case PSI -> new Outcome(Statistics.psi(r.shares(c, continuous), c.shares(r, continuous, true)), null);
                case JENSEN_SHANNON ->
                    new Outcome(Statistics.jensenShannon(r.shares(c, continuous), c.shares(r, continuous, true)), null);
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("column '" + name + "': " + e.getMessage(), e);
        }
    }

    private static Outcome ks(Side r, Side c) {
        double[] ref = r.exact();
        double[] cur = c.exact();
        return ref != null && cur != null ? Statistics.ks(ref, cur) : Statistics.ks(r.numbers(), c.numbers());
    }

    /** Bars for charts: equal-width bins over both sides' range, or the most common categories. */
    private static Histogram chart(Side r, Side c, boolean continuous) {
        if (continuous) {
            Distribution rd = r.numbers();
            Distribution cd = c.numbers();
            double lo = Math.min(rd.min(), cd.min());
            double hi = Math.max(rd.max(), cd.max());
            double width = (hi - lo) / CHART_BINS;
            double[] edges = new double[CHART_BINS - 1];
            List<String> labels = new ArrayList<>();
            for (int i = 0; i < CHART_BINS; i++) {
                if (i < CHART_BINS - 1) {
                    edges[i] = lo + width * (i + 1);
                }
                labels.add(number(lo + width * i));
            }
            double[] distinct = Arrays.stream(edges).distinct().toArray();
            if (distinct.length != edges.length) {
                edges = distinct;
                labels = labels.subList(0, edges.length + 1);
            }
            return new Histogram(
                    labels, boxed(Statistics.binShares(rd, edges)), boxed(Statistics.binShares(cd, edges)));
        }
        String[] keys = Statistics.keys(r.counts(), c.counts());
        double[] rs = Statistics.categoryShares(keys, r.counts());
        double[] cs = Statistics.categoryShares(keys, c.counts());
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> -(rs[i] + cs[i])).thenComparing(i -> keys[i]));
        List<String> labels = new ArrayList<>();
        List<Double> refShares = new ArrayList<>();
        List<Double> curShares = new ArrayList<>();
        double otherRef = 0;
        double otherCur = 0;
        for (int rank = 0; rank < order.size(); rank++) {
            int i = order.get(rank);
            if (rank < CHART_CATEGORIES) {
                labels.add(keys[i]);
                refShares.add(rs[i]);
                curShares.add(cs[i]);
            } else {
                otherRef += rs[i];
                otherCur += cs[i];
            }
        }
        if (order.size() > CHART_CATEGORIES) {
            labels.add("(other)");
            refShares.add(otherRef);
            curShares.add(otherCur);
        }
        return new Histogram(labels, refShares, curShares);
    }

    private static List<Double> boxed(double[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    private static String kind(boolean numeric) {
        return numeric ? "numbers" : "categories";
    }

    /** A number as a category label: integral values without a decimal point. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    /** One side of a column, seen as numbers (when it has them) and as category counts. */
    private record Side(
            @Nullable Distribution numbers0, double @Nullable [] exact, Map<String, Long> counts0, long count) {

        static Side of(ColumnProfile p) {
            return switch (p) {
                case ColumnProfile.Numbers n ->
                    new Side(new Distribution.Exact(n.values()), n.values(), Map.of(), n.values().length);
                case ColumnProfile.Sketch s ->
                    new Side(
                            new Distribution.Sketched(s.sketch()),
                            null,
                            Map.of(),
                            s.sketch().getN());
                case ColumnProfile.Categories c -> new Side(null, null, c.counts(), Statistics.total(c.counts()));
            };
        }

        Distribution numbers() {
            if (numbers0 == null) {
                throw new IllegalStateException("a categorical column has no numeric distribution");
            }
            return numbers0;
        }

        double[] support() {
            return numbers0 == null || count == 0 ? new double[0] : numbers0.support();
        }

        double rankError() {
            return numbers0 == null ? 0 : numbers0.rankError();
        }

        /**
         * Category counts: given for categories; for numbers, each distinct value's count (for a sketch, its
         * estimated mass at that value, from DataSketches' getPMF over the retained values, times n).
         */
        Map<String, Long> counts() {
            if (numbers0 == null) {
                return counts0;
            }
            Map<String, Long> out = new LinkedHashMap<>();
            if (count == 0) {
                return out;
            }
            double[] values = numbers0.support();
            if (exact != null) {
                for (double v : exact) {
                    out.merge(number(v), 1L, Long::sum);
                }
                return out;
            }
            Distribution.Sketched sketched = (Distribution.Sketched) numbers0;
            double[] pmf = sketched.sketch().getPMF(values, QuantileSearchCriteria.INCLUSIVE);
            for (int i = 0; i < values.length; i++) {
                out.merge(number(values[i]), Math.round(pmf[i] * count), Long::sum);
            }
            return out;
        }

        /** Shares per bin: reference-decile bins for continuous numbers, else per category over both sides. */
        double[] shares(Side other, boolean continuous) {
            return shares(other, continuous, false);
        }

        double[] shares(Side other, boolean continuous, boolean isCurrent) {
            if (continuous) {
                Side reference = isCurrent ? other : this;
                return Statistics.binShares(numbers(), Statistics.quantileEdges(reference.numbers()));
            }
            Map<String, Long> mine = counts();
            Map<String, Long> theirs = other.counts();
            String[] keys = isCurrent ? Statistics.keys(theirs, mine) : Statistics.keys(mine, theirs);
            return Statistics.categoryShares(keys, mine);
        }
    }
}
