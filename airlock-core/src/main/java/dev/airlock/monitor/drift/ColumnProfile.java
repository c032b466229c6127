package dev.airlock.monitor.drift;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.apache.datasketches.kll.KllDoublesSketch;

/**
 * What drift is computed from: one column of a reference or a current window, as an exact sample, a KLL sketch
 * or category counts, with how many values were missing (nulls) or of the wrong type (type errors). Those two
 * counts are reported but take no part in the statistics, which compare the values that are present.
 *
 * <pre>{@code
 * ColumnProfile income = ColumnProfile.numbers("annual_income", new double[] {38000, 85400, 123800});
 * ColumnProfile region = ColumnProfile.categories("region", List.of("south", "east", "north"));
 * ColumnProfile sketched = new ColumnProfile.Sketch("annual_income", kllSketch, 0, 0);
 * }</pre>
 */
public sealed interface ColumnProfile {

    String name();

    long nulls();

    long typeErrors();

    /** Whether this column holds numbers (a sample or a sketch) rather than categories. */
    default boolean numeric() {
        return !(this instanceof Categories);
    }

    /** An exact sample of numbers (small windows, offline files, tests). */
    record Numbers(String name, double[] values, long nulls, long typeErrors) implements ColumnProfile {
        public Numbers {
            requireName(name);
            values = values.clone();
            for (double v : values) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("column '" + name
                            + "': values must be finite numbers (count NaN as a type error), got " + v);
                }
            }
        }
    }

    /** Numbers seen through a KLL quantiles sketch: constant memory, ranks within the sketch's error bound. */
    record Sketch(String name, KllDoublesSketch sketch, long nulls, long typeErrors) implements ColumnProfile {
        public Sketch {
            requireName(name);
        }
    }

    /** Category counts (exact whatever the size). */
    record Categories(String name, Map<String, Long> counts, long nulls, long typeErrors) implements ColumnProfile {
        public Categories {
            requireName(name);
            counts = Map.copyOf(new TreeMap<>(counts));
            counts.forEach((category, count) -> {
                if (count < 0) {
                    throw new IllegalArgumentException("column '" + name + "': count of category '" + category
                            + "' must not be negative, got " + count);
                }
            });
        }
    }

    static Numbers numbers(String name, double[] values) {
        return new Numbers(name, values, 0, 0);
    }

    static Categories categories(String name, Collection<String> values) {
        return new Categories(name, countOf(values), 0, 0);
    }

    /** Counts of each distinct value. */
    static Map<String, Long> countOf(Collection<String> values) {
        Map<String, Long> counts = new TreeMap<>();
        for (String v : values) {
            counts.merge(v, 1L, Long::sum);
        }
        return counts;
    }

    private static void requireName(String name) {
        if (name.isBlank()) {
            throw new IllegalArgumentException("column name must not be blank");
        }
    }
}
