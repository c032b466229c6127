package dev.airlock.monitor.drift;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of comparing a current window with its reference: one row per column and whether the dataset as a
 * whole drifted. Renders as an aligned text table ({@link #text()}), JSON with stable field names ({@link #json()})
 * and a self-contained HTML page with a reference-vs-current bar chart per column ({@link #html()}).
 *
 * @param columns one row per column, in the reference's order
 * @param drifted how many columns drifted
 * @param evaluated how many columns could be compared (both sides had values)
 * @param share drifted / evaluated (0 when none was evaluated)
 * @param shareThreshold the share at or above which the dataset drifts
 * @param datasetDrift whether it did
 */
public record DriftReport(
        List<ColumnDrift> columns,
        int drifted,
        int evaluated,
        double share,
        double shareThreshold,
        boolean datasetDrift) {

    public DriftReport {
        columns = List.copyOf(columns);
    }

    /**
     * One column's comparison.
     *
     * @param name the column
     * @param numeric whether it holds numbers (else categories)
     * @param method how it was compared
     * @param statistic the test statistic (KS D, chi-square, z) or the distance
     * @param pValue the test's p-value; null for distances
     * @param threshold the p-value below which, or the distance at or above which, the column drifts
     * @param drifted whether it did
     * @param reference counts on the reference side
     * @param current counts on the current side
     * @param rankError for sketches, the bound on any rank (sum of both sides' KLL normalised rank errors), which is
     *     also the bound on the error of the KS statistic; 0 when both sides are exact
     * @param skipped why the column could not be compared (e.g. no values on one side); null when it was
     * @param histogram shares per bin or category on each side, for charts
     */
    public record ColumnDrift(
            String name,
            boolean numeric,
            DriftMethod method,
            double statistic,
            @Nullable Double pValue,
            double threshold,
            boolean drifted,
            Counts reference,
            Counts current,
            double rankError,
            @Nullable String skipped,
            Histogram histogram) {

        /** The figure compared with the threshold: the p-value of a test, else the distance. */
        public double score() {
            return pValue != null ? pValue : statistic;
        }
    }

    /** How many values one side had, and how many were missing or of the wrong type. */
    public record Counts(long values, long nulls, long typeErrors) {}

    /**
     * Shares of each side per bin (numbers: equal-width bins over both sides' range; categories: the most common
     * ones, the rest summed as "(other)").
     */
    public record Histogram(List<String> bins, List<Double> reference, List<Double> current) {
        public Histogram {
            bins = List.copyOf(bins);
            reference = List.copyOf(reference);
            current = List.copyOf(current);
        }
    }

    /** An aligned plain-text table, one line per column, then the dataset's verdict. */
    public String text() {
        return DriftText.render(this);
    }

    /** JSON with stable field names (see docs/monitoring.md, "Drift report"). */
    public String json() {
        return DriftJson.render(this);
    }

    /** A self-contained HTML page: no external scripts or styles, inline SVG charts, every string escaped. */
    public String html(String title) {
        return DriftHtml.render(this, title);
    }
}
