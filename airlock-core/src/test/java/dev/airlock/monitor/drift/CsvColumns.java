package dev.airlock.monitor.drift;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Column profiles from a CSV file, as exact samples: a column is numeric when every non-empty value of the
 * reference parses as a number; then, on either side, an empty cell is a null and an unparseable one a type error.
 */
final class CsvColumns {

    private CsvColumns() {}

    static Map<String, List<String>> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<String> header = split(lines.getFirst());
        Map<String, List<String>> columns = new LinkedHashMap<>();
        header.forEach(h -> columns.put(h, new ArrayList<>()));
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            List<String> cells = split(line);
            for (int i = 0; i < header.size(); i++) {
                columns.get(header.get(i)).add(i < cells.size() ? cells.get(i) : "");
            }
        }
        return columns;
    }

    static boolean numeric(List<String> values) {
        return values.stream().filter(v -> !v.isEmpty()).allMatch(v -> parse(v) != null);
    }

    static ColumnProfile profile(String name, List<String> values, boolean numeric) {
        long nulls = values.stream().filter(String::isEmpty).count();
        if (!numeric) {
            return new ColumnProfile.Categories(
                    name,
                    ColumnProfile.countOf(
                            values.stream().filter(v -> !v.isEmpty()).toList()),
                    nulls,
                    0);
        }
        List<Double> parsed = new ArrayList<>();
        long typeErrors = 0;
        for (String v : values) {
            if (v.isEmpty()) {
                continue;
            }
            Double d = parse(v);
            if (d == null) {
                typeErrors++;
            } else {
                parsed.add(d);
            }
        }
        return new ColumnProfile.Numbers(
                name, parsed.stream().mapToDouble(Double::doubleValue).toArray(), nulls, typeErrors);
    }

    private static Double parse(String v) {
        try {
            double d = Double.parseDouble(v);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** One CSV line: commas, double quotes around cells that hold commas, "" for a quote inside. */
    static List<String> split(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cell.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(ch);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
