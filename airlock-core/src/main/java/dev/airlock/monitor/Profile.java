package dev.airlock.monitor;

import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one model version was given and answered during a window: a {@link Column} per input feature and per output,
 * how many calls were seen, and the schema drift of its inputs (fields the model does not declare, declared fields
 * that were absent). Its memory is bounded whatever the traffic: sketches per column, at most
 * {@link #MAX_COLUMNS} inferred columns and {@link #MAX_FIELD_NAMES} unknown field names.
 *
 * <p>Profiles of the same model version merge: the partials of several nodes, or several windows into one over a
 * longer range. Mutable and not thread-safe; what {@link ProfileStore} and {@link Profiles} return is the caller's own.
 *
 * <pre>{@code
 * Profile p = profiles.current("loan-risk", "1.0.0").orElseThrow();
 * NumericColumn income = (NumericColumn) p.inputs().get("annual_income");
 * double median = income.quantile(0.5);
 * Map<String, Long> regions = ((CategoricalColumn) p.inputs().get("region")).counts();
 * }</pre>
 */
public final class Profile {
    /** The most columns a model without declared features gets; further fields count as unknown. */
    public static final int MAX_COLUMNS = 256;

    /** The most unknown field names counted by name; the rest are counted under {@link #OTHER}. */
    public static final int MAX_FIELD_NAMES = 64;

    /** The name unknown fields beyond {@link #MAX_FIELD_NAMES} are counted under. */
    public static final String OTHER = "(other)";

    private final String model;
    private final String version;
    private Instant from;
    private Instant to;
    private long count;
    private long unknownFields;
    private long missingFields;
    private final HashMap<String, long[]> unknownByName = new HashMap<>();
    private final HashMap<String, long[]> missingByName = new HashMap<>();
    private final LinkedHashMap<String, Column> inputs = new LinkedHashMap<>();
    private final LinkedHashMap<String, Column> outputs = new LinkedHashMap<>();

    /**
     * An empty profile.
     *
     * @param from the window's start (inclusive)
     * @param to the window's end (exclusive)
     */
    public Profile(String model, String version, Instant from, Instant to) {
        this.model = Objects.requireNonNull(model, "model");
        this.version = Objects.requireNonNull(version, "version");
        this.from = Objects.requireNonNull(from, "from");
        this.to = Objects.requireNonNull(to, "to");
    }

    public String model() {
        return model;
    }

    public String version() {
        return version;
    }

    /** Where the window (or the earliest merged window) starts. */
    public Instant from() {
        return from;
    }

    /** Where the window (or the latest merged window) ends, exclusive. */
    public Instant to() {
        return to;
    }

    /** Calls profiled. */
    public long count() {
        return count;
    }

    /** Fields of calls that the model does not declare, summed over calls (schema drift). */
    public long unknownFields() {
        return unknownFields;
    }

    /** Declared fields that calls left out, summed over calls (schema drift). */
    public long missingFields() {
        return missingFields;
    }

    /** {@link #unknownFields()} by field name, largest first. */
    public Map<String, Long> unknownFieldNames() {
        return sorted(unknownByName);
    }

    /** {@link #missingFields()} by field name, largest first. */
    public Map<String, Long> missingFieldNames() {
        return sorted(missingByName);
    }

    /** Input columns by name, in the order first seen (declared order for declared features). */
    public Map<String, Column> inputs() {
        return Collections.unmodifiableMap(inputs);
    }

    /** Output columns by name. */
    public Map<String, Column> outputs() {
        return Collections.unmodifiableMap(outputs);
    }

    /** Whether nothing was profiled. */
    public boolean isEmpty() {
        return count == 0 && inputs.isEmpty() && outputs.isEmpty();
    }

    /**
     * Adds {@code other} (of the same model version) to this profile; the window grows to cover both.
     *
     * @throws IllegalArgumentException when {@code other} is of another model or version
     */
    public Profile merge(Profile other) {
        if (!model.equals(other.model) || !version.equals(other.version)) {
            throw new IllegalArgumentException("cannot merge the profile of " + other.model + "@" + other.version
                    + " into one of " + model + "@" + version);
        }
        from = from.isBefore(other.from) ? from : other.from;
        to = to.isAfter(other.to) ? to : other.to;
        count += other.count;
        unknownFields += other.unknownFields;
        missingFields += other.missingFields;
        other.unknownByName.forEach((name, n) -> countName(unknownByName, name, n[0]));
        other.missingByName.forEach((name, n) -> countName(missingByName, name, n[0]));
        mergeColumns(inputs, other.inputs);
        mergeColumns(outputs, other.outputs);
        return this;
    }

    /** A copy that shares nothing with this profile. */
    public Profile copy() {
        return new Profile(model, version, from, to).merge(this);
    }

    /** This profile as bytes, for a store; {@link #fromBytes} reads them back. */
    public byte[] toBytes() {
        return ProfileCodec.write(this);
    }

    /**
     * A profile from {@link #toBytes()}.
     *
     * @throws IllegalArgumentException when the bytes are not a profile
     */
    public static Profile fromBytes(byte[] bytes) {
        return ProfileCodec.read(bytes);
    }

    // --- filled by the profiler and the reference reader

    void countCall() {
        count++;
    }

    void countUnknown(String field) {
        unknownFields++;
        countName(unknownByName, field, 1);
    }

    void countMissing(String field) {
        missingFields++;
        countName(missingByName, field, 1);
    }

    /** The input column {@code name}, made as {@code kind} if absent; null when no more columns may be made. */
    @Nullable
    Column input(String name, ColumnKind kind) {
        Column c = inputs.get(name);
        if (c == null && inputs.size() < MAX_COLUMNS) {
            c = Column.empty(kind);
            inputs.put(name, c);
        }
        return c;
    }

    /** The existing input column {@code name}, or null. */
    @Nullable
    Column input(String name) {
        return inputs.get(name);
    }

    Column output(String name, ColumnKind kind) {
        Column c = outputs.get(name);
        if (c == null) {
            c = Column.empty(kind);
            outputs.put(name, c);
        }
        return c;
    }

    void restore(
            long calls, long unknown, long missing, Map<String, Long> unknownNames, Map<String, Long> missingNames) {
        count = calls;
        unknownFields = unknown;
        missingFields = missing;
        unknownNames.forEach((k, v) -> unknownByName.put(k, new long[] {v}));
        missingNames.forEach((k, v) -> missingByName.put(k, new long[] {v}));
    }

    void putInput(String name, Column column) {
        inputs.put(name, column);
    }

    void putOutput(String name, Column column) {
        outputs.put(name, column);
    }

    private static void mergeColumns(Map<String, Column> mine, Map<String, Column> theirs) {
        theirs.forEach((name, column) -> {
            Column c = mine.get(name);
            if (c == null) {
                mine.put(name, column.copy());
            } else {
                c.merge(column);
            }
        });
    }

    private static void countName(HashMap<String, long[]> counts, String name, long n) {
        long[] c = counts.get(name);
        if (c == null) {
            if (counts.size() >= MAX_FIELD_NAMES && !name.equals(OTHER)) {
                countName(counts, OTHER, n);
                return;
            }
            counts.put(name, new long[] {n});
        } else {
            c[0] += n;
        }
    }

    private static Map<String, Long> sorted(HashMap<String, long[]> counts) {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted((a, b) -> a.getValue()[0] != b.getValue()[0]
                        ? Long.compare(b.getValue()[0], a.getValue()[0])
                        : a.getKey().compareTo(b.getKey()))
                .forEach(e -> out.put(e.getKey(), e.getValue()[0]));
        return Collections.unmodifiableMap(out);
    }

    @Override
    public String toString() {
        return "Profile[" + model + "@" + version + " " + from + ".." + to + ", " + count + " calls]";
    }
}
