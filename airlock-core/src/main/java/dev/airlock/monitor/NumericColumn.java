package dev.airlock.monitor;

import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.kll.KllSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * A numeric column: a KLL quantile sketch ({@code k = 200}) of its values. Its quantiles are within
 * {@link #rankError()} (about 1.33% of rank, with 99% confidence) of the exact ones, in a few kilobytes whatever the
 * number of values; count, min and max are exact.
 */
public final class NumericColumn implements Column {
    /** The sketch's accuracy parameter: normalised rank error about 1.33% (99% confidence). */
    public static final int K = 200;

    private final KllDoublesSketch sketch;
    private long nulls;
    private long typeErrors;

    NumericColumn() {
        this(KllDoublesSketch.newHeapInstance(K), 0, 0);
    }

    NumericColumn(KllDoublesSketch sketch, long nulls, long typeErrors) {
        this.sketch = sketch;
        this.nulls = nulls;
        this.typeErrors = typeErrors;
    }

    /** The quantile sketch of the values, for drift statistics; the caller must not update it. */
    public KllDoublesSketch sketch() {
        return sketch;
    }

    /** The value at normalised rank {@code rank} in [0, 1] (inclusive search); NaN when the column has no values. */
    public double quantile(double rank) {
        return sketch.isEmpty() ? Double.NaN : sketch.getQuantile(rank, QuantileSearchCriteria.INCLUSIVE);
    }

    /** The smallest value seen; NaN when none. */
    public double min() {
        return sketch.isEmpty() ? Double.NaN : sketch.getMinItem();
    }

    /** The largest value seen; NaN when none. */
    public double max() {
        return sketch.isEmpty() ? Double.NaN : sketch.getMaxItem();
    }

    /** The sketch's normalised rank error, single-sided, at 99% confidence. */
    public static double rankError() {
        return KllSketch.getNormalizedRankError(K, false);
    }

    void add(double value) {
        sketch.update(value);
    }

    @Override
    public long count() {
        return sketch.getN();
    }

    @Override
    public long nulls() {
        return nulls;
    }

    @Override
    public long typeErrors() {
        return typeErrors;
    }

    @Override
    public ColumnKind kind() {
        return ColumnKind.NUMERIC;
    }

    @Override
    public void addNull() {
        nulls++;
    }

    @Override
    public void addTypeError() {
        typeErrors++;
    }

    @Override
    public Column copy() {
        KllDoublesSketch copy = KllDoublesSketch.newHeapInstance(K);
        copy.merge(sketch);
        return new NumericColumn(copy, nulls, typeErrors);
    }

    /** Adds {@code other}'s values; a categorical column's values cannot be numbers and count as type errors. */
    @Override
    public void merge(Column other) {
        nulls += other.nulls();
        typeErrors += other.typeErrors();
        switch (other) {
            case NumericColumn n -> sketch.merge(n.sketch);
            case CategoricalColumn c -> typeErrors += c.count();
        }
    }
}
