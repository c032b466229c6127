package dev.airlock.monitor;

/** How a column is profiled: numbers in a quantile sketch, categories in counts. */
public enum ColumnKind {
    NUMERIC,
    CATEGORICAL
}
