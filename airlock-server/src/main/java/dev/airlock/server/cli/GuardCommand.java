package dev.airlock.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.models.EntityModel;
import dev.airlock.pii.PiiDetector;
import dev.airlock.server.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code airlock guard eval-pii FILE...}: precision and recall of the PII detector on labelled sets. */
@Command(
        name = "guard",
        mixinStandardHelpOptions = true,
        description = "Guardrail tools.",
        subcommands = {GuardCommand.EvalPii.class, EvalInjection.class, TrainEntities.class})
final class GuardCommand {

    /** Counts of one type. */
    static final class Tally {
        long truePositives;
        long falsePositives;
        long falseNegatives;

        double precision() {
            long found = truePositives + falsePositives;
            return found == 0 ? 1 : (double) truePositives / found;
        }

        double recall() {
            long actual = truePositives + falseNegatives;
            return actual == 0 ? 1 : (double) truePositives / actual;
        }
    }

    @Command(
            name = "eval-pii",
            mixinStandardHelpOptions = true,
            description = "Runs the PII detector over labelled JSON Lines ({text, entities: [{type, start, end}]})"
                    + " and prints precision and recall per type. A finding counts as right when it overlaps a"
                    + " labelled span of the same type. Exit code 1 when --min-recall or --min-precision is missed.")
    static final class EvalPii implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "FILE", arity = "1..*", description = "Labelled sets.")
        List<Path> files;

        @Option(names = "--min-recall", defaultValue = "0", description = "Fail below this recall for any type.")
        double minRecall;

        @Option(names = "--min-precision", defaultValue = "0", description = "Fail below this precision for any type.")
        double minPrecision;

        @Option(
                names = "--entity-weights",
                paramLabel = "FILE",
                description = "Weights of the entity model written by 'guard train-entities' instead of the bundled"
                        + " ones.")
        @Nullable
        Path entityWeights;

        @Option(
                names = "--rules-only",
                description = "Rules, checksums and word lists alone, without the entity model (for comparison).")
        boolean rulesOnly;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Map<PiiDetector.Type, Tally> total = newTallies();
            PiiDetector detector = rulesOnly
                    ? new PiiDetector(null)
                    : entityWeights != null ? new PiiDetector(EntityModel.read(entityWeights)) : new PiiDetector();
            boolean ok = true;
            for (Path file : files) {
                Map<PiiDetector.Type, Tally> tallies = newTallies();
                long rows = evaluate(file, detector, tallies, total, err);
                if (files.size() > 1) {
                    out.printf(Locale.ROOT, "%s (%d rows)%n", file, rows);
                    print(out, tallies);
                    out.println();
                }
            }
            if (files.size() > 1) {
                out.println("all files");
            }
            for (Tally t : print(out, total).values()) {
                ok &= (t.truePositives + t.falseNegatives == 0 || t.recall() >= minRecall)
                        && (t.truePositives + t.falsePositives == 0 || t.precision() >= minPrecision);
            }
            return ok ? 0 : 1;
        }

        private static Map<PiiDetector.Type, Tally> print(PrintWriter out, Map<PiiDetector.Type, Tally> tallies) {
            out.printf("%-15s %6s %6s %6s %10s %8s%n", "type", "tp", "fp", "fn", "precision", "recall");
            for (var e : tallies.entrySet()) {
                Tally t = e.getValue();
                out.printf(
                        Locale.ROOT,
                        "%-15s %6d %6d %6d %10.3f %8.3f%n",
                        e.getKey().id(),
                        t.truePositives,
                        t.falsePositives,
                        t.falseNegatives,
                        t.precision(),
                        t.recall());
            }
            out.flush();
            return tallies;
        }
    }

    /** How often the evaluator says how far it got, in rows. */
    private static final int PROGRESS_EVERY = 1_000;

    static Map<PiiDetector.Type, Tally> newTallies() {
        Map<PiiDetector.Type, Tally> tallies = new EnumMap<>(PiiDetector.Type.class);
        for (PiiDetector.Type type : PiiDetector.Type.values()) {
            tallies.put(type, new Tally());
        }
        return tallies;
    }

    /** Every file's findings counted into one tally per type. */
    static Map<PiiDetector.Type, Tally> evaluate(List<Path> files) throws IOException {
        Map<PiiDetector.Type, Tally> tallies = newTallies();
        for (Path file : files) {
            evaluate(file, new PiiDetector(), tallies, newTallies(), new PrintWriter(Writer.nullWriter()));
        }
        return tallies;
    }

    /**
     * Reads {@code file} a line at a time (any size, any text length), counts into {@code tallies} and {@code total},
     * and writes a progress line to {@code progress} every {@value #PROGRESS_EVERY} rows. A row that is not JSON or
     * names an unknown type stops the run with the file, line and value.
     */
    static long evaluate(
            Path file,
            PiiDetector detector,
            Map<PiiDetector.Type, Tally> tallies,
            Map<PiiDetector.Type, Tally> total,
            PrintWriter progress)
            throws IOException {
        long rows = 0;
        long lineNumber = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode example;
                try {
                    example = Json.mapper().readTree(line);
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException(
                            file + ":" + lineNumber + ": not a JSON object: " + e.getOriginalMessage());
                }
                countRow(file, lineNumber, example, detector, tallies, total);
                rows++;
                if (rows % PROGRESS_EVERY == 0) {
                    progress.printf(Locale.ROOT, "%s: %,d rows%n", file, rows);
                    progress.flush();
                }
            }
        }
        return rows;
    }

    private static void countRow(
            Path file,
            long lineNumber,
            JsonNode example,
            PiiDetector detector,
            Map<PiiDetector.Type, Tally> tallies,
            Map<PiiDetector.Type, Tally> total) {
        String text = example.path("text").asText();
        List<int[]> labelled = new ArrayList<>();
        List<PiiDetector.Type> labelledTypes = new ArrayList<>();
        for (JsonNode e : example.path("entities")) {
            labelled.add(new int[] {e.path("start").asInt(), e.path("end").asInt()});
            String type = e.path("type").asText();
            try {
                labelledTypes.add(PiiDetector.Type.valueOf(type.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException unknown) {
                throw new IllegalArgumentException(file + ":" + lineNumber + ": entity type '" + type
                        + "' is not one of "
                        + Arrays.stream(PiiDetector.Type.values())
                                .map(PiiDetector.Type::id)
                                .toList());
            }
        }
        boolean[] matched = new boolean[labelled.size()];
        // a set that labels only some types ("types": [...]) says nothing about findings of the others
        List<String> labels = new ArrayList<>();
        example.path("types").forEach(t -> labels.add(t.asText()));
        for (var f : detector.find(text)) {
            if (!labels.isEmpty() && !labels.contains(f.type().id())) {
                continue;
            }
            boolean right = false;
            for (int i = 0; i < labelled.size(); i++) {
                int[] span = labelled.get(i);
                if (labelledTypes.get(i) == f.type() && f.start() < span[1] && span[0] < f.end()) {
                    right = true;
                    matched[i] = true;
                }
            }
            if (right) {
                tally(tallies, f.type()).truePositives++;
                tally(total, f.type()).truePositives++;
            } else {
                tally(tallies, f.type()).falsePositives++;
                tally(total, f.type()).falsePositives++;
            }
        }
        for (int i = 0; i < matched.length; i++) {
            if (!matched[i]) {
                tally(tallies, labelledTypes.get(i)).falseNegatives++;
                tally(total, labelledTypes.get(i)).falseNegatives++;
            }
        }
    }

    /** The tally of a type: {@code tallies} holds one for every type. */
    private static Tally tally(Map<PiiDetector.Type, Tally> tallies, PiiDetector.Type type) {
        return Objects.requireNonNull(tallies.get(type), "a tally for every type");
    }
}
