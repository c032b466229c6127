package dev.airlock.server.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.decision.Stop;
import dev.airlock.monitor.outcome.Outcomes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Reads an upload of labels, the same for HTTP and {@code airlock labels upload}: CSV with a header naming {@code
 * decision_id} and {@code label} (other columns ignored), or JSON Lines of {@code {"decision_id": …, "label": …}}.
 * Blank lines are skipped. A line that cannot be read (not JSON, a field missing or not a string, a CSV row without
 * both cells) is refused in its place with its line number and why; the other lines still apply. Only an upload that
 * cannot be read at all (a CSV header without the two columns, too many lines) is refused whole.
 */
public final class LabelLines {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Uploads larger than this are refused: split them. */
    public static final int MAX_LINES = 100_000;

    private static final String EXAMPLE = "{\"decision_id\": \"01J…\", \"label\": \"default\"}";

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
            if (!rows[i].isBlank()) {
                lines.add(jsonLine(rows[i], i + 1));
            }
        }
        return lines;
    }

    /** One JSON line: its label, or why it was refused (in its place, naming the field and the value it has). */
    private static Outcomes.LabelLine jsonLine(String row, int number) {
        JsonNode node;
        try {
            node = JSON.readTree(row);
        } catch (JsonProcessingException e) {
            return Outcomes.LabelLine.unreadable(
                    number, "", "line " + number + " is not JSON: " + Stop.echo(e.getOriginalMessage()));
        }
        if (node == null || !node.isObject()) {
            return Outcomes.LabelLine.unreadable(
                    number, "", "line " + number + " is not a JSON object; expected " + EXAMPLE);
        }
        JsonNode id = node.get("decision_id");
        JsonNode label = node.get("label");
        String idText = id != null && id.isValueNode() ? Stop.echo(id.asText()) : "";
        String wrong = wrong(id, "decision_id");
        if (wrong == null) {
            wrong = wrong(label, "label");
        }
        if (wrong != null) {
            return Outcomes.LabelLine.unreadable(number, idText, "line " + number + ": " + wrong);
        }
        return new Outcomes.LabelLine(number, id.asText(), label.asText(), null);
    }

    /** What is wrong with a field that must be a non-empty string, naming the value it has; null when nothing is. */
    private static @Nullable String wrong(@Nullable JsonNode value, String field) {
        if (value != null && value.isTextual() && !value.asText().isBlank()) {
            return null;
        }
        String has = value == null || value.isNull()
                ? "it is missing"
                : "got " + Stop.echo(value.toString()) + " ("
                        + value.getNodeType().name().toLowerCase(Locale.ROOT) + ")";
        return "'" + field + "' must be a non-empty string, " + has + "; expected " + EXAMPLE;
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
                lines.add(Outcomes.LabelLine.unreadable(
                        i + 1,
                        cells.size() > id ? Stop.echo(cells.get(id).strip()) : "",
                        "line " + (i + 1) + ": expected a decision_id and a label, got '" + Stop.echo(rows[i]) + "'"));
                continue;
            }
            lines.add(new Outcomes.LabelLine(
                    i + 1, cells.get(id).strip(), cells.get(label).strip(), null));
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
