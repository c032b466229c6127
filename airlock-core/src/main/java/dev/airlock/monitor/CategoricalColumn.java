package dev.airlock.monitor;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.jspecify.annotations.Nullable;

/**
 * A categorical column: exact counts per category while there are at most {@link #EXACT_LIMIT} distinct ones, and
 * always a frequent-items sketch, which keeps the heavy hitters of any number of categories in constant memory (an
 * estimate is off by at most {@link #maximumError()}).
 */
public final class CategoricalColumn implements Column {
    /** The most distinct categories counted exactly; beyond it only the sketch counts. */
    public static final int EXACT_LIMIT = 100;

    /** The frequent-items sketch's map size (a power of two): estimates are within 3.5 / 128 of the count. */
    static final int SKETCH_MAP_SIZE = 128;

    private final ItemsSketch<String> frequent;
    // null once more than EXACT_LIMIT categories were seen
    private @Nullable HashMap<String, long[]> exact;
    private long count;
    private long nulls;
    private long typeErrors;

    CategoricalColumn() {
        this(new ItemsSketch<>(SKETCH_MAP_SIZE), new HashMap<>(), 0, 0, 0);
    }

    CategoricalColumn(
            ItemsSketch<String> frequent,
            @Nullable HashMap<String, long[]> exact,
            long count,
            long nulls,
            long typeErrors) {
        this.frequent = frequent;
        this.exact = exact;
        this.count = count;
        this.nulls = nulls;
        this.typeErrors = typeErrors;
    }

    /**
     * Count per category, largest first: exact when {@link #exact()}, else the sketch's estimates of the frequent ones
     * (the rest under no key; their total is {@link #count()} minus the sum).
     */
    public Map<String, Long> counts() {
        Map<String, Long> out = new LinkedHashMap<>();
        if (exact != null) {
            exact.entrySet().stream()
                    .sorted((a, b) -> a.getValue()[0] != b.getValue()[0]
                            ? Long.compare(b.getValue()[0], a.getValue()[0])
                            : a.getKey().compareTo(b.getKey()))
                    .forEach(e -> out.put(e.getKey(), e.getValue()[0]));
        } else {
            for (ItemsSketch.Row<String> row : frequent.getFrequentItems(ErrorType.NO_FALSE_NEGATIVES)) {
                out.put(row.getItem(), row.getEstimate());
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** Whether {@link #counts()} are exact. */
    public boolean exact() {
        return exact != null;
    }

    /** The frequent-items sketch of the categories; the caller must not update it. */
    public ItemsSketch<String> frequent() {
        return frequent;
    }

    /** How far a sketch estimate may be from the true count. */
    public long maximumError() {
        return frequent.getMaximumError();
    }

    @Nullable
    Map<String, long[]> exactCounts() {
        return exact;
    }

    void add(String category) {
        count++;
        frequent.update(category);
        HashMap<String, long[]> counts = exact;
        if (counts != null) {
            long[] c = counts.get(category);
            if (c != null) {
                c[0]++;
            } else if (counts.size() < EXACT_LIMIT) {
                counts.put(category, new long[] {1});
            } else {
                exact = null;
            }
        }
    }

    @Override
    public long count() {
        return count;
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
        return ColumnKind.CATEGORICAL;
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
        CategoricalColumn copy = new CategoricalColumn(new ItemsSketch<>(SKETCH_MAP_SIZE), copyOf(exact), 0, 0, 0);
        copy.frequent.merge(frequent);
        copy.count = count;
        copy.nulls = nulls;
        copy.typeErrors = typeErrors;
        return copy;
    }

    /** Adds {@code other}'s values; a numeric column's values are no categories and count as type errors. */
    @Override
    public void merge(Column other) {
        nulls += other.nulls();
        typeErrors += other.typeErrors();
        switch (other) {
            case NumericColumn n -> typeErrors += n.count();
            case CategoricalColumn c -> {
                count += c.count;
                frequent.merge(c.frequent);
                mergeExact(c.exact);
            }
        }
    }

    private void mergeExact(@Nullable HashMap<String, long[]> theirs) {
        HashMap<String, long[]> mine = exact;
        if (mine == null || theirs == null) {
            exact = null;
            return;
        }
        for (var e : theirs.entrySet()) {
            long[] c = mine.get(e.getKey());
            if (c != null) {
                c[0] += e.getValue()[0];
            } else if (mine.size() < EXACT_LIMIT) {
                mine.put(e.getKey(), new long[] {e.getValue()[0]});
            } else {
                exact = null;
                return;
            }
        }
    }

    private static @Nullable HashMap<String, long[]> copyOf(@Nullable HashMap<String, long[]> counts) {
        if (counts == null) {
            return null;
        }
        HashMap<String, long[]> copy = new HashMap<>(counts.size() * 2);
        counts.forEach((k, v) -> copy.put(k, new long[] {v[0]}));
        return copy;
    }
}
