package dev.airlock.monitor;

/**
 * One column of a profile: an input feature or an output. Every column counts the values it took, the nulls (absent
 * values: JSON null or a missing token such as {@code n/a}) and the type errors (a value of the wrong type, e.g. a
 * string that is no number where numbers are declared or were seen). Mutable and not thread-safe: a profile is filled
 * on one thread at a time and read from a copy.
 */
public sealed interface Column permits NumericColumn, CategoricalColumn {
    /** Values profiled (nulls and type errors excluded). */
    long count();

    /** Absent values. */
    long nulls();

    /** Values of the wrong type, not profiled. */
    long typeErrors();

    ColumnKind kind();

    /** A new, empty column of {@code kind}. */
    static Column empty(ColumnKind kind) {
        return switch (kind) {
            case NUMERIC -> new NumericColumn();
            case CATEGORICAL -> new CategoricalColumn();
        };
    }

    /** A copy that shares nothing with this one. */
    Column copy();

    /** Adds {@code other}'s values to this column. */
    void merge(Column other);

    /** Counts an absent value. */
    void addNull();

    /** Counts a value of the wrong type. */
    void addTypeError();
}
