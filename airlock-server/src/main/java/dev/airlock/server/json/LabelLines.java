package dev.airlock.server.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.monitor.outcome.Outcomes;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an upload of labels, the same for HTTP and {@code airlock labels upload}: CSV with a header naming {@code
 * decision_id} and {@code label} (other columns ignored), or JSON Lines of {@code {"decision_id": …, "label": …}}.
 * Blank lines are skipped. A malformed line fails the whole upload naming its line number, before anything is applied.
 */
public final class LabelLines {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Uploads larger than this are refused: split them. */
    public static final int MAX_LINES = 100_000;

    private LabelLines() {}

    /** @throws IllegalArgumentException naming the line and what was wrong */
    public static List<Outcomes.LabelLine> parse(String text, boolean csv) {
        String[] rows = text.split("\r?\n", -1);
        List<Outcomes.LabelLine> lines = csv ? csv(rows) : jsonLines(rows);
        if (lines.size() > MAX_LINES) {
            throw new IllegalArgumentException(
                    "the upload has " + lines.size() + " labels; at most " + MAX_LINES + " at once");
        }
        return lines;
    }

    private static List<Outcomes.LabelLine> jsonLines(String[] rows) {
        List<Outcomes.LabelLine> lines = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(rows[i]);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("line " + (i + 1) + " is not JSON: " + e.getOriginalMessage());
            }
            lines.add(new Outcomes.LabelLine(text(node, "decision_id", i), text(node, "label", i)));
        }
        return lines;
    }

    private static String text(JsonNode node, String field, int row) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException("line " + (row + 1) + ": '" + field
                    + "' must be a non-empty string, e.g. {\"decision_id\":" + " \"01J…\", \"label\": \"default\"}");
        }
        return value.asText();
    }

    private static List<Outcomes.LabelLine> csv(String[] rows) {
        int header = 0;
        while (header < rows.length && rows[header].isBlank()) {
            header++;
        }
        if (header == rows.length) {
            return List.of();
        }
        List<String> names = cells(rows[header]);
        int id = names.indexOf("decision_id");
        int label = names.indexOf("label");
        if (id < 0 || label < 0) {
            throw new IllegalArgumentException(
                    "line " + (header + 1) + ": the header must name the columns decision_id and label, got " + names);
        }
        List<Outcomes.LabelLine> lines = new ArrayList<>();
        for (int i = header + 1; i < rows.length; i++) {
            if (rows[i].isBlank()) {
                continue;
            }
            List<String> cells = cells(rows[i]);
            if (cells.size() <= Math.max(id, label)
                    || cells.get(id).isBlank()
                    || cells.get(label).isBlank()) {
                throw new IllegalArgumentException(
                        "line " + (i + 1) + ": expected a decision_id and a label, got '" + rows[i] + "'");
            }
            lines.add(new Outcomes.LabelLine(
                    cells.get(id).strip(), cells.get(label).strip()));
        }
        return lines;
    }

    /** One CSV row's cells; a cell may be quoted ("a,b"), with "" for a quote inside. */
    private static List<String> cells(String row) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < row.length(); i++) {
            char c = row.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < row.length() && row.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
