package dev.airlock.examples.loanrisk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Just enough RFC 4180 CSV: quoted fields, doubled quotes, {@code \n} line ends, no line breaks inside fields. */
final class Csv {
    private Csv() {}

    static byte[] write(List<String> header, List<List<String>> rows) {
        StringBuilder out = new StringBuilder();
        appendLine(out, header);
        rows.forEach(row -> appendLine(out, row));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Each row as column name to field, in file order. */
    static List<Map<String, String>> read(Path file) {
        try {
            return parse(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static List<Map<String, String>> parse(byte[] content, String source) {
        List<String> lines = new String(content, StandardCharsets.UTF_8).lines().toList();
        List<String> header = parseLine(lines.getFirst());
        List<Map<String, String>> rows = new ArrayList<>(lines.size() - 1);
        for (int n = 1; n < lines.size(); n++) {
            List<String> fields = parseLine(lines.get(n));
            if (fields.size() != header.size()) {
                throw new IllegalArgumentException(
                        source + ":" + (n + 1) + ": expected " + header.size() + " fields, got " + fields.size());
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                row.put(header.get(i), fields.get(i));
            }
            rows.add(row);
        }
        return rows;
    }

    private static void appendLine(StringBuilder out, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(quoteIfNeeded(fields.get(i)));
        }
        out.append('\n');
    }

    private static String quoteIfNeeded(String field) {
        boolean needsQuotes = field.contains(",") || field.contains("\"") || !field.equals(field.strip());
        return needsQuotes ? '"' + field.replace("\"", "\"\"") + '"' : field;
    }

    static List<String> parseLine(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
