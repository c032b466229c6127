package dev.airlock.monitor.retrain;

import dev.airlock.decision.Content;
import dev.airlock.decision.Decision;
import dev.airlock.decision.DecisionLog;
import dev.airlock.monitor.outcome.KeptPrediction;
import dev.airlock.monitor.outcome.OutcomeStore;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The data a trainer gets: a model's labelled predictions in a window joined with the features their Decisions kept
 * (under a retention of {@code full} or {@code redacted}; a Decision that kept only digests gives no row). CSV with a
 * header: {@code decision_id}, {@code model_version}, the features in name order, {@code label}. The newest {@code
 * maxRows} rows are kept.
 */
final class Extract {
    static final String LABEL = "label";

    private record Row(String decisionId, String version, Map<String, String> features, String label) {}

    private Extract() {}

    /** Writes the extract to {@code file}; returns its row count. */
    static int write(
            DecisionLog decisions,
            OutcomeStore outcomes,
            String model,
            Instant from,
            Instant to,
            int maxRows,
            Path file)
            throws IOException {
        Deque<Row> rows = new ArrayDeque<>();
        outcomes.forEachPrediction(
                model,
                null,
                from,
                to,
                p -> row(decisions, p).ifPresent(r -> {
                    rows.addLast(r);
                    if (rows.size() > maxRows) {
                        rows.removeFirst();
                    }
                }));
        TreeSet<String> features = new TreeSet<>();
        rows.forEach(r -> features.addAll(r.features().keySet()));
        features.removeAll(List.of("decision_id", "model_version", LABEL));
        List<String> header = new ArrayList<>(List.of("decision_id", "model_version"));
        header.addAll(features);
        header.add(LABEL);
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(line(header));
            for (Row r : rows) {
                List<String> cells = new ArrayList<>(List.of(r.decisionId(), r.version()));
                features.forEach(f -> cells.add(r.features().getOrDefault(f, "")));
                cells.add(r.label());
                out.write(line(cells));
            }
        }
        return rows.size();
    }

    private static Optional<Row> row(DecisionLog decisions, KeptPrediction p) {
        String label = p.label();
        if (label == null) {
            return Optional.empty();
        }
        return decisions
                .findDecision(p.decisionId())
                .map(Decision::content)
                .filter(c -> c.state() == Content.State.KEPT)
                .map(Content::input)
                .map(input -> new Row(p.decisionId(), p.modelVersion(), features(input), label));
    }

    /** A predict Decision keeps its features as {@code name=value} lines, in name order. */
    static Map<String, String> features(String input) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : input.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return out;
    }

    /** One CSV line (RFC 4180): a cell with a comma, quote or line break is quoted. */
    static String line(List<String> cells) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            if (i > 0) {
                b.append(',');
            }
            if (c.indexOf(',') >= 0 || c.indexOf('"') >= 0 || c.indexOf('\n') >= 0 || c.indexOf('\r') >= 0) {
                b.append('"').append(c.replace("\"", "\"\"")).append('"');
            } else {
                b.append(c);
            }
        }
        return b.append('\n').toString();
    }
}
