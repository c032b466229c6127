package dev.airlock.monitor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Reads a model version's reference profile from its training or validation data: a CSV file with a header row.
 * Columns the model declares as features are profiled by their declared kind; a column named after the positive class
 * (e.g. {@code default} for loan-risk) is the label, profiled as the reference of the {@code predicted_class} output
 * ({@code 1}/{@code true} or the positive class's name as the positive class, {@code 0}/{@code false} or the negative
 * class's name as the negative one); any other column is ignored and named in {@link Result#ignored()}. A model with
 * no declared features profiles every column, as numbers when its first value is one.
 */
final class ReferenceCsv {
    private ReferenceCsv() {}

    /**
     * @param profile the reference profile
     * @param rows data rows read
     * @param label the label column profiled as the predicted class, or null
     * @param ignored columns neither a feature nor the label
     */
    record Result(Profile profile, long rows, @Nullable String label, List<String> ignored) {}

    /**
     * @throws IllegalArgumentException naming the line when the CSV has no header, a row has another number of fields
     *     than the header, or no column is a feature
     */
    static Result read(String model, String version, ProfileSpec spec, Reader csv, Instant at) {
        var in = new BufferedReader(csv);
        var profile = new Profile(model, version, at, at);
        try {
            String headerLine = in.readLine();
            if (headerLine == null || headerLine.isBlank()) {
                throw new IllegalArgumentException("line 1: expected a header row naming the columns, found nothing");
            }
            List<String> header = fields(stripBom(headerLine), 1);
            Column[] columns = new Column[header.size()];
            int labelAt = -1;
            List<String> ignored = new ArrayList<>();
            for (int i = 0; i < header.size(); i++) {
                String name = header.get(i).strip();
                ColumnKind kind = spec.features().get(name);
                if (kind != null) {
                    columns[i] = profile.input(name, kind);
                } else if (isLabel(name, spec) && labelAt < 0) {
                    labelAt = i;
                } else if (!spec.declared()) {
                    columns[i] = null; // decided by the first value
                } else {
                    ignored.add(name);
                }
            }
            if (spec.declared() && ignored.size() + (labelAt >= 0 ? 1 : 0) == header.size()) {
                throw new IllegalArgumentException("line 1: no column is a feature of " + model + "@" + version
                        + "; its features are " + spec.features().keySet() + ", the file's columns " + header);
            }
            long rows = 0;
            int lineNumber = 1;
            String line;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                List<String> row = fields(line, lineNumber);
                if (row.size() != header.size()) {
                    throw new IllegalArgumentException("line " + lineNumber + ": expected " + header.size()
                            + " fields as in the header, found " + row.size());
                }
                rows++;
                profile.countCall();
                for (int i = 0; i < columns.length; i++) {
                    if (i == labelAt) {
                        label(profile, spec, row.get(i));
                    } else if (columns[i] != null) {
                        Observations.text(columns[i], row.get(i), spec);
                    } else if (!spec.declared()) {
                        columns[i] = inferred(profile, header.get(i).strip(), row.get(i), spec);
                    }
                }
            }
            return new Result(
                    profile, rows, labelAt < 0 ? null : header.get(labelAt).strip(), ignored);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static @Nullable Column inferred(Profile profile, String name, String value, ProfileSpec spec) {
        if (spec.missing(value)) {
            return null;
        }
        boolean number = Double.isFinite(Observations.parse(value.strip()));
        Column c = profile.input(name, number ? ColumnKind.NUMERIC : ColumnKind.CATEGORICAL);
        if (c != null) {
            Observations.text(c, value, spec);
        }
        return c;
    }

    private static boolean isLabel(String name, ProfileSpec spec) {
        return spec.positiveClass() != null && name.equalsIgnoreCase(spec.positiveClass());
    }

    private static void label(Profile profile, ProfileSpec spec, String value) {
        Column c = profile.output(Observations.PREDICTED_CLASS, ColumnKind.CATEGORICAL);
        String v = value.strip().toLowerCase(Locale.ROOT);
        String positive = spec.positiveClass();
        String negative = spec.negativeClass();
        if (spec.missing(v)) {
            c.addNull();
        } else if (v.equals("1") || v.equals("true") || v.equalsIgnoreCase(String.valueOf(positive))) {
            ((CategoricalColumn) c).add(String.valueOf(positive));
        } else if (negative != null && (v.equals("0") || v.equals("false") || v.equalsIgnoreCase(negative))) {
            ((CategoricalColumn) c).add(negative);
        } else {
            c.addTypeError();
        }
    }

    private static String stripBom(String line) {
        return line.startsWith("\uFEFF") ? line.substring(1) : line;
    }

    /** One CSV line's fields (RFC 4180 quoting within the line). */
    static List<String> fields(String line, int lineNumber) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    field.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                out.add(field.toString());
                field.setLength(0);
            } else if (ch != '\r') {
                field.append(ch);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("line " + lineNumber + ": a quoted field is not closed");
        }
        out.add(field.toString());
        return out;
    }
}
