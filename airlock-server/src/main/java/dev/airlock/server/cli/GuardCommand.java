package dev.airlock.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.pii.PiiDetector;
import dev.airlock.server.json.Json;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code airlock guard eval-pii FILE...}: precision and recall of the PII detector on labelled sets. */
@Command(
        name = "guard",
        mixinStandardHelpOptions = true,
        description = "Guardrail tools.",
        subcommands = {GuardCommand.EvalPii.class, EvalInjection.class})
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

        @Override
        public Integer call() throws Exception {
            Map<PiiDetector.Type, Tally> tallies = evaluate(files);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%-15s %6s %6s %6s %10s %8s%n", "type", "tp", "fp", "fn", "precision", "recall");
            boolean ok = true;
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
                ok &= t.recall() >= minRecall && t.precision() >= minPrecision;
            }
            return ok ? 0 : 1;
        }
    }

    static Map<PiiDetector.Type, Tally> evaluate(List<Path> files) throws Exception {
        PiiDetector detector = new PiiDetector();
        Map<PiiDetector.Type, Tally> tallies = new EnumMap<>(PiiDetector.Type.class);
        for (PiiDetector.Type type : PiiDetector.Type.values()) {
            tallies.put(type, new Tally());
        }
        for (Path file : files) {
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode example = Json.mapper().readTree(line);
                String text = example.path("text").asText();
                List<int[]> labelled = new ArrayList<>();
                List<PiiDetector.Type> labelledTypes = new ArrayList<>();
                for (JsonNode e : example.path("entities")) {
                    labelled.add(
                            new int[] {e.path("start").asInt(), e.path("end").asInt()});
                    labelledTypes.add(
                            PiiDetector.Type.valueOf(e.path("type").asText().toUpperCase(Locale.ROOT)));
                }
                boolean[] matched = new boolean[labelled.size()];
                for (var f : detector.find(text)) {
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
                    } else {
                        tally(tallies, f.type()).falsePositives++;
                    }
                }
                for (int i = 0; i < matched.length; i++) {
                    if (!matched[i]) {
                        tally(tallies, labelledTypes.get(i)).falseNegatives++;
                    }
                }
            }
        }
        return tallies;
    }

    /** The tally of a type: {@code tallies} holds one for every type. */
    private static Tally tally(Map<PiiDetector.Type, Tally> tallies, PiiDetector.Type type) {
        return Objects.requireNonNull(tallies.get(type), "a tally for every type");
    }
}
