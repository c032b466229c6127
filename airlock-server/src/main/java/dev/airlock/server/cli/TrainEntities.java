package dev.airlock.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.models.EntityModel;
import dev.airlock.server.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code airlock guard train-entities FILE... --write-weights OUT}: trains the entity model's token head (names and
 * street addresses over MiniLM's hidden states) on labelled JSON Lines, the format {@code eval-pii} reads.
 */
@Command(
        name = "train-entities",
        mixinStandardHelpOptions = true,
        description = "Trains the named-entity head the PII detector uses for person_name and postal_address on"
                + " labelled JSON Lines ({text, entities: [{type, start, end}]}; other types are ignored) and writes"
                + " its weights. Deterministic: the same files give the same weights. Measure the result with"
                + " 'airlock guard eval-pii --entity-weights OUT FILE...' on sets it was not trained on.")
final class TrainEntities implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Labelled sets to train on.")
    List<Path> files;

    @Option(
            names = "--write-weights",
            paramLabel = "FILE",
            required = true,
            description = "Where the weights go (the bundled ones live in"
                    + " airlock-models/src/main/resources/dev/airlock/models/entity-tagger.json).")
    Path writeWeights;

    @Option(names = "--epochs", defaultValue = "6", description = "Passes over the training pieces.")
    int epochs;

    @Option(
            names = "--name-threshold",
            defaultValue = "0.8",
            description = "Probability from which a word counts as part of a name.")
    double nameThreshold;

    @Option(
            names = "--address-threshold",
            defaultValue = "0.5",
            description = "Probability from which a word counts as part of a street address.")
    double addressThreshold;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<EntityModel.Example> examples = new ArrayList<>();
        for (Path file : files) {
            read(file, examples);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs: " + epochs + " is not at least 1");
        }
        String trainedOn = files.stream().map(f -> f.getFileName().toString()).collect(Collectors.joining(", "));
        int total = examples.size();
        EntityModel model = EntityModel.train(examples, epochs, trainedOn, done -> {
                    if (done % 1_000 == 0 || done == total) {
                        err.printf(Locale.ROOT, "train-entities: embedded %,d of %,d texts%n", done, total);
                        err.flush();
                    }
                })
                .withThresholds(nameThreshold, addressThreshold);
        Files.writeString(writeWeights, model.toJson() + "\n", StandardCharsets.UTF_8);
        long names = examples.stream()
                .flatMap(e -> e.spans().stream())
                .filter(s -> s[0] == 1)
                .count();
        long addresses = examples.stream()
                .flatMap(e -> e.spans().stream())
                .filter(s -> s[0] == 2)
                .count();
        out.printf(
                Locale.ROOT,
                "trained on %,d texts (%,d names, %,d addresses), %d epochs; wrote %s%n",
                total,
                names,
                addresses,
                epochs,
                writeWeights);
        return 0;
    }

    private static void read(Path file, List<EntityModel.Example> into) throws IOException {
        long lineNumber = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode row;
                try {
                    row = Json.mapper().readTree(line);
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException(
                            file + ":" + lineNumber + ": not a JSON object: " + e.getOriginalMessage());
                }
                if (!row.path("text").isTextual()) {
                    throw new IllegalArgumentException(file + ":" + lineNumber + ": no \"text\"");
                }
                String text = row.path("text").asText();
                List<int[]> spans = new ArrayList<>();
                for (JsonNode e : row.path("entities")) {
                    int c = EntityModel.classOf(e.path("type").asText());
                    int start = e.path("start").asInt();
                    int end = e.path("end").asInt();
                    if (c > 0) {
                        if (start < 0 || end > text.length() || start >= end) {
                            throw new IllegalArgumentException(file + ":" + lineNumber + ": span [" + start + ", " + end
                                    + ") is outside the text of " + text.length() + " characters");
                        }
                        spans.add(new int[] {c, start, end});
                    }
                }
                into.add(new EntityModel.Example(text, spans));
            }
        }
    }
}
