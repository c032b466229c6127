package dev.airlock.monitor.drift;

import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How a drift report decides, per model and per column. Absent values mean the defaults: the method chosen from the
 * column's type and the reference's size (see {@link Drift}), the method's default threshold, and dataset drift when
 * at least half of the columns drift.
 *
 * <pre>{@code
 * DriftOptions options = DriftOptions.defaults()
 *         .withColumn("annual_income", DriftMethod.PSI, 0.2)
 *         .withShare(0.3);
 * }</pre>
 *
 * @param method the method for every column that names none of its own (null: chosen per column)
 * @param threshold the threshold for every column that names none of its own (null: the method's default)
 * @param columns per-column choices, by column name
 * @param share the share of drifted columns at or above which the dataset drifts, in (0, 1]
 */
public record DriftOptions(
        @Nullable DriftMethod method, @Nullable Double threshold, Map<String, Column> columns, double share) {

    /** The baseline's share: the dataset drifts when half of its columns do. */
    public static final double DEFAULT_SHARE = 0.5;

    /** One column's choices; either may be null for the default. */
    public record Column(
            @Nullable DriftMethod method, @Nullable Double threshold) {
        public Column {
            checkThreshold("column threshold", threshold);
        }
    }

    public DriftOptions {
        columns = Map.copyOf(columns);
        checkThreshold("threshold", threshold);
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("drift share must be in (0, 1], got " + share);
        }
    }

    public static DriftOptions defaults() {
        return new DriftOptions(null, null, Map.of(), DEFAULT_SHARE);
    }

    public DriftOptions withMethod(DriftMethod everyColumn) {
        return new DriftOptions(everyColumn, threshold, columns, share);
    }

    public DriftOptions withThreshold(double everyColumn) {
        return new DriftOptions(method, everyColumn, columns, share);
    }

    public DriftOptions withShare(double datasetShare) {
        return new DriftOptions(method, threshold, columns, datasetShare);
    }

    public DriftOptions withColumn(String name, @Nullable DriftMethod columnMethod, @Nullable Double columnThreshold) {
        Map<String, Column> next = new HashMap<>(columns);
        next.put(name, new Column(columnMethod, columnThreshold));
        return new DriftOptions(method, threshold, next, share);
    }

    @Nullable
    DriftMethod methodFor(String column) {
        Column c = columns.get(column);
        return c != null && c.method() != null ? c.method() : method;
    }

    @Nullable
    Double thresholdFor(String column) {
        Column c = columns.get(column);
        return c != null && c.threshold() != null ? c.threshold() : threshold;
    }

    private static void checkThreshold(String what, @Nullable Double value) {
        if (value != null && !(value > 0 && Double.isFinite(value))) {
            throw new IllegalArgumentException("drift " + what + " must be a positive number, got " + value);
        }
    }
}
