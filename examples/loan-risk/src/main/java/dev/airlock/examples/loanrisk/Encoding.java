package dev.airlock.examples.loanrisk;

import dev.airlock.examples.loanrisk.FeatureDef.Categorical;
import dev.airlock.examples.loanrisk.FeatureDef.Numeric;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * The feature definitions with their training statistics: how a clean row becomes the model's input vector.
 * Numbers become {@code (t(x) - mean) / std}; categories become one-hot columns followed by an unknown column, which
 * is always zero in training.
 */
final class Encoding {
    static final String UNKNOWN = "(unknown)";

    /** A numeric feature with the statistics of its (transformed) training values. */
    record FittedNumeric(Numeric def, double mean, double std, double rawMean, Double missingDefault) {
        double standardise(double raw) {
            double t = def.log1p() ? StrictMath.log1p(raw) : raw;
            return (t - mean) / std;
        }
    }

    private final List<FittedNumeric> numerics;
    private final List<String> columns;

    private Encoding(List<FittedNumeric> numerics, List<String> columns) {
        this.numerics = List.copyOf(numerics);
        this.columns = List.copyOf(columns);
    }

    static Encoding fit(List<Map<String, String>> rows) {
        List<FittedNumeric> numerics = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        for (FeatureDef def : LoanFeatures.ALL) {
            switch (def) {
                case Numeric n -> {
                    numerics.add(fitNumeric(n, rows));
                    columns.add(n.name());
                }
                case Categorical c -> {
                    c.categories().forEach(category -> columns.add(c.name() + "=" + category));
                    columns.add(c.name() + "=" + UNKNOWN);
                }
            }
        }
        return new Encoding(numerics, columns);
    }

    private static FittedNumeric fitNumeric(Numeric def, List<Map<String, String>> rows) {
        double[] raw = rows.stream()
                .mapToDouble(row -> Double.parseDouble(row.get(def.name())))
                .toArray();
        double[] transformed = def.log1p() ? map(raw, StrictMath::log1p) : raw;
        double mean = mean(transformed);
        double sumSquares = 0;
        for (double t : transformed) {
            sumSquares += (t - mean) * (t - mean);
        }
        double std = Math.sqrt(sumSquares / transformed.length);
        double rawMean = mean(raw);
        Double missingDefault = switch (def.missing()) {
            case "reject" -> null;
            case "mean" -> rawMean;
            default -> Double.valueOf(def.missing());
        };
        return new FittedNumeric(def, mean, std, rawMean, missingDefault);
    }

    /** The encoded column names, in input order: {@code name} or {@code name=category}. */
    List<String> columns() {
        return columns;
    }

    List<FittedNumeric> numerics() {
        return numerics;
    }

    FittedNumeric numeric(String name) {
        return numerics.stream()
                .filter(n -> n.def().name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    /** Encodes a clean row (canonical categories, every number present). */
    double[] encode(Map<String, String> row) {
        double[] x = new double[columns.size()];
        int column = 0;
        for (FeatureDef def : LoanFeatures.ALL) {
            String value = row.get(def.name());
            switch (def) {
                case Numeric n -> x[column++] = numeric(n.name()).standardise(Double.parseDouble(value));
                case Categorical c -> {
                    int index = c.categories().indexOf(value);
                    if (index < 0) {
                        throw new IllegalArgumentException(c.name() + ": '" + value + "' is not a training category");
                    }
                    x[column + index] = 1.0;
                    column += c.categories().size() + 1;
                }
            }
        }
        return x;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static double[] map(double[] values, DoubleUnaryOperator f) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = f.applyAsDouble(values[i]);
        }
        return out;
    }
}
