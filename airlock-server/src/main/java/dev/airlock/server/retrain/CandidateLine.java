package dev.airlock.server.retrain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.monitor.retrain.Candidate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a trainer reports: a JSON object {@code {"candidate_version": "1.2.0", "artifact": "model.onnx", "sha256":
 * "…", "metrics": {"holdout_auc": 0.74}}}, as the last such line of a command's output or a webhook's answer.
 */
final class CandidateLine {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int TAIL_LINES = 40;
    static final int TAIL_CHARS = 4000;

    private CandidateLine() {}

    /** The candidate the last JSON line naming {@code candidate_version} reports, or null when no line does. */
    static @Nullable Candidate find(String output) {
        List<String> lines = output.lines().toList();
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i).strip();
            if (line.startsWith("{") && line.contains("\"candidate_version\"")) {
                return parse(line);
            }
        }
        return null;
    }

    /**
     * Reads one report.
     *
     * @throws IllegalArgumentException naming the field that is missing or wrong
     */
    static Candidate parse(String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the candidate report is not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("the candidate report is not a JSON object");
        }
        String version = text(node, "candidate_version");
        String artifact = text(node, "artifact");
        if (version == null || artifact == null) {
            throw new IllegalArgumentException(
                    "the candidate report needs candidate_version and artifact (strings); got " + node.toString());
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        JsonNode m = node.get("metrics");
        if (m != null && m.isObject()) {
            m.properties().forEach(e -> {
                if (!e.getValue().isNumber()) {
                    throw new IllegalArgumentException(
                            "metrics." + e.getKey() + " is " + e.getValue() + "; expected a number");
                }
                metrics.put(e.getKey(), e.getValue().doubleValue());
            });
        }
        return new Candidate(version, artifact, text(node, "sha256"), metrics, null);
    }

    private static @Nullable String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isTextual() ? null : v.asText();
    }

    /** The last {@link #TAIL_LINES} lines, at most {@link #TAIL_CHARS} characters: what a run keeps of the output. */
    static String tail(String output) {
        List<String> lines = new ArrayList<>(output.lines().toList());
        List<String> last = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
        String text = String.join("\n", last);
        return text.length() <= TAIL_CHARS ? text : text.substring(text.length() - TAIL_CHARS);
    }
}
