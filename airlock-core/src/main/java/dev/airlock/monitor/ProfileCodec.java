package dev.airlock.monitor;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantilesDoublesSketchIterator;
import org.jspecify.annotations.Nullable;

/**
 * A profile as bytes, for the store: a format version, the key and counts, then each column. Sketches are written as
 * what they hold, not in DataSketches' serial form, whose reader (datasketches-memory) does not run on current JDKs:
 * a KLL sketch as its retained items with their weights plus exact count, min and max, rebuilt by weighted updates
 * (the same items at the same weights, so the same quantiles); a frequent-items sketch as its exact counts while there
 * are few categories, else as its frequent items with their estimates (the long tail below the sketch's error is
 * dropped, and the rebuilt sketch's error bound starts from zero).
 */
final class ProfileCodec {
    private static final int FORMAT = 1;

    private ProfileCodec() {}

    static byte[] write(Profile p) {
        var bytes = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(bytes)) {
            out.writeInt(FORMAT);
            out.writeUTF(p.model());
            out.writeUTF(p.version());
            out.writeLong(p.from().toEpochMilli());
            out.writeLong(p.to().toEpochMilli());
            out.writeLong(p.count());
            out.writeLong(p.unknownFields());
            out.writeLong(p.missingFields());
            names(out, p.unknownFieldNames());
            names(out, p.missingFieldNames());
            columns(out, p.inputs());
            columns(out, p.outputs());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * @throws IllegalArgumentException when the bytes are no profile of a format this version reads
     */
    static Profile read(byte[] bytes) {
        try (var in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int format = in.readInt();
            if (format != FORMAT) {
                throw new IllegalArgumentException("profile format " + format + " is not known; expected " + FORMAT);
            }
            var p = new Profile(
                    in.readUTF(),
                    in.readUTF(),
                    Instant.ofEpochMilli(in.readLong()),
                    Instant.ofEpochMilli(in.readLong()));
            long count = in.readLong();
            long unknown = in.readLong();
            long missing = in.readLong();
            p.restore(count, unknown, missing, names(in), names(in));
            int inputs = in.readInt();
            for (int i = 0; i < inputs; i++) {
                p.putInput(in.readUTF(), column(in));
            }
            int outputs = in.readInt();
            for (int i = 0; i < outputs; i++) {
                p.putOutput(in.readUTF(), column(in));
            }
            return p;
        } catch (IOException e) {
            throw new IllegalArgumentException("stored profile is truncated or corrupt: " + e.getMessage(), e);
        }
    }

    private static void names(DataOutputStream out, Map<String, Long> names) throws IOException {
        out.writeInt(names.size());
        for (var e : names.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(e.getValue());
        }
    }

    private static Map<String, Long> names(DataInputStream in) throws IOException {
        int n = in.readInt();
        Map<String, Long> names = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            names.put(in.readUTF(), in.readLong());
        }
        return names;
    }

    private static void columns(DataOutputStream out, Map<String, Column> columns) throws IOException {
        out.writeInt(columns.size());
        for (var e : columns.entrySet()) {
            out.writeUTF(e.getKey());
            Column c = e.getValue();
            out.writeByte(c.kind().ordinal());
            out.writeLong(c.nulls());
            out.writeLong(c.typeErrors());
            switch (c) {
                case NumericColumn n -> kll(out, n.sketch());
                case CategoricalColumn k -> {
                    out.writeLong(k.count());
                    Map<String, Long> frequent = k.exact() ? Map.of() : k.counts();
                    names(out, frequent);
                    Map<String, long[]> exact = k.exactCounts();
                    out.writeInt(exact == null ? -1 : exact.size());
                    if (exact != null) {
                        for (var x : exact.entrySet()) {
                            out.writeUTF(x.getKey());
                            out.writeLong(x.getValue()[0]);
                        }
                    }
                }
            }
        }
    }

    private static Column column(DataInputStream in) throws IOException {
        ColumnKind kind = ColumnKind.values()[in.readByte()];
        long nulls = in.readLong();
        long typeErrors = in.readLong();
        return switch (kind) {
            case NUMERIC -> new NumericColumn(kll(in), nulls, typeErrors);
            case CATEGORICAL -> {
                long count = in.readLong();
                Map<String, Long> estimates = names(in);
                HashMap<String, long[]> exact = exact(in);
                ItemsSketch<String> frequent = new ItemsSketch<>(CategoricalColumn.SKETCH_MAP_SIZE);
                if (exact != null) {
                    exact.forEach((item, n) -> frequent.update(item, n[0]));
                } else {
                    estimates.forEach(frequent::update);
                }
                yield new CategoricalColumn(frequent, exact, count, nulls, typeErrors);
            }
        };
    }

    private static @Nullable HashMap<String, long[]> exact(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        HashMap<String, long[]> exact = new HashMap<>();
        for (int i = 0; i < n; i++) {
            exact.put(in.readUTF(), new long[] {in.readLong()});
        }
        return exact;
    }

    private static void kll(DataOutputStream out, KllDoublesSketch sketch) throws IOException {
        out.writeLong(sketch.getN());
        if (sketch.isEmpty()) {
            return;
        }
        out.writeDouble(sketch.getMinItem());
        out.writeDouble(sketch.getMaxItem());
        out.writeInt(sketch.getNumRetained());
        QuantilesDoublesSketchIterator items = sketch.iterator();
        while (items.next()) {
            out.writeDouble(items.getQuantile());
            out.writeLong(items.getWeight());
        }
    }

    private static KllDoublesSketch kll(DataInputStream in) throws IOException {
        KllDoublesSketch sketch = KllDoublesSketch.newHeapInstance(NumericColumn.K);
        long n = in.readLong();
        if (n == 0) {
            return sketch;
        }
        double min = in.readDouble();
        double max = in.readDouble();
        int retained = in.readInt();
        double[] items = new double[retained];
        long[] weights = new long[retained];
        int lowest = 0;
        int highest = 0;
        long total = 0;
        for (int i = 0; i < retained; i++) {
            items[i] = in.readDouble();
            weights[i] = in.readLong();
            total += weights[i];
            lowest = items[i] < items[lowest] ? i : lowest;
            highest = items[i] > items[highest] ? i : highest;
        }
        if (total != n) {
            throw new IllegalArgumentException("stored sketch is corrupt: weights sum to " + total + ", not " + n);
        }
        // the extremes may have been compacted away; the exact min and max stand in for the extreme retained items
        items[lowest] = min;
        items[highest] = max;
        for (int i = 0; i < retained; i++) {
            sketch.update(items[i], weights[i]);
        }
        return sketch;
    }
}
