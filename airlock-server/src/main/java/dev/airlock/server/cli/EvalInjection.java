package dev.airlock.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.guard.InjectionGuard;
import dev.airlock.guard.InjectionHeuristics;
import dev.airlock.guard.WindowScore;
import dev.airlock.models.InjectionClassifier;
import dev.airlock.models.MiniLmEmbeddings;
import dev.airlock.server.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.IntConsumer;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code airlock guard eval-injection FILE...}: trains the injection classifier on the training split of the labelled
 * sets and measures heuristics, classifier and both on the held-out split. Any number of rows of any length: texts are
 * embedded in batches, and a text longer than the model reads is scored as the guard scores it, by its worst window.
 */
@Command(
        name = "eval-injection",
        mixinStandardHelpOptions = true,
        description = "Splits the labelled sets (JSON Lines {id, text, label: injection|benign, source}): rows whose id"
                + " starts with 'gen-' go 70/30 into training and held-out by a hash of the id, every other row is"
                + " held out; rows of --train files are all trained on, rows of --validation files only choose"
                + " thresholds. Reports per 'set' field. Trains the embedding classifier on the training rows, then prints precision, recall and"
                + " false-positive rate on the held-out rows for the heuristics, the classifier and both (either one"
                + " over its threshold). Texts of any length: one longer than the embedding model reads is scored by its"
                + " worst window, as the guard does, and trained on as the mean of its windows; rows with source"
                + " 'document' are also scored in two-sentence windows, as the guard scores tool results. Progress goes to"
                + " standard error on long runs. Exit code 1 when both together miss --min-recall or --max-fpr.")
final class EvalInjection implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Labelled sets.")
    List<Path> files;

    @Option(names = "--threshold", defaultValue = "0.5", description = "Score from which a text counts as injection.")
    double threshold;

    @Option(names = "--min-recall", defaultValue = "0", description = "Fail when both layers' recall is below this.")
    double minRecall;

    @Option(
            names = "--max-fpr",
            defaultValue = "1",
            description = "Fail when both layers' false-positive rate is above.")
    double maxFpr;

    @Option(
            names = "--train",
            paramLabel = "FILE",
            split = ",",
            description = "Labelled sets trained on whole (every row), besides the 'gen-' training split.")
    List<Path> trainFiles = new ArrayList<>();

    @Option(
            names = "--validation",
            paramLabel = "FILE",
            split = ",",
            description = "Labelled sets neither trained on nor reported as held out: their benign rows choose the"
                    + " thresholds at false-positive rates of 5% and 1% (printed, and written with --write-weights).")
    List<Path> validationFiles = new ArrayList<>();

    @Option(
            names = "--calibrate-fpr",
            paramLabel = "RATE",
            description = "Move the classifier's bias so that 0.5 (the guard's default threshold) is the threshold at"
                    + " this false-positive rate on the validation sets' benign rows.")
    @Nullable
    Double calibrateFpr;

    @Option(
            names = "--bundled",
            description = "Score with the weights Airlock ships instead of training (to compare them with a new"
                    + " training on the same held-out rows).")
    boolean bundled;

    @Option(
            names = "--write-weights",
            paramLabel = "FILE",
            description = "Write the trained weights (the bundled ones live in"
                    + " airlock-models/src/main/resources/dev/airlock/models/injection-classifier.json).")
    @Nullable
    Path writeWeights;

    /**
     * A labelled text. {@code set} names where it comes from (reported separately); {@code document} rows are scored
     * as the guard scores a tool result, also in sentence windows.
     */
    record Row(String id, String text, boolean injection, boolean document, String set, boolean trainedOn) {
        boolean training() {
            return trainedOn || (id.startsWith("gen-") && Math.floorMod(id.hashCode(), 10) < 7);
        }
    }

    @Override
    public Integer call() throws Exception {
        List<Row> rows = new ArrayList<>(read(files, false));
        rows.addAll(read(trainFiles, true));
        List<Row> validation = read(validationFiles, false);
        List<Row> train = rows.stream().filter(Row::training).toList();
        List<Row> heldOut = rows.stream().filter(r -> !r.training()).toList();
        if (train.isEmpty()) {
            throw new IllegalArgumentException("no training rows in " + files
                    + ": rows with ids starting 'gen-' are split 70/30 into training and held-out");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        var embeddings = new MiniLmEmbeddings("injection-eval");
        InjectionClassifier classifier = bundled
                ? InjectionClassifier.bundled()
                : InjectionClassifier.train(
                        embeddings,
                        train.stream().map(Row::text).toList(),
                        train.stream().map(Row::injection).toList(),
                        progress(err, "training", train.size()));
        if (!validation.isEmpty() && !bundled) {
            classifier = calibrate(classifier, embeddings, validation, out, err);
        }
        if (writeWeights != null) {
            Files.writeString(writeWeights, classifier.toJson() + "\n", StandardCharsets.UTF_8);
            out.printf("wrote %s%n", writeWeights);
        }
        double[] learned = score(classifier, embeddings, heldOut, progress(err, "held-out", heldOut.size()));
        double[] heuristics = heldOut.stream()
                .mapToDouble(r -> InjectionHeuristics.score(r.text()))
                .toArray();
        out.printf(
                "trained on %d rows (%d injection), held out %d rows (%d injection), threshold %.2f%n",
                train.size(),
                train.stream().filter(Row::injection).count(),
                heldOut.size(),
                heldOut.stream().filter(Row::injection).count(),
                threshold);
        out.printf("%-24s %-11s %9s %9s %9s%n", "held-out rows", "layer", "precision", "recall", "fpr");
        Counts both = null;
        List<String> subsets = new ArrayList<>(List.of("all"));
        heldOut.stream().map(Row::set).distinct().forEach(subsets::add);
        for (String subset : subsets) {
            for (String layer : List.of("heuristics", "classifier", "both")) {
                Counts c = new Counts();
                for (int i = 0; i < heldOut.size(); i++) {
                    Row r = heldOut.get(i);
                    boolean inSubset = subset.equals("all") || subset.equals(r.set());
                    if (!inSubset) {
                        continue;
                    }
                    double h = heuristics[i];
                    double score = switch (layer) {
                        case "heuristics" -> h;
                        case "classifier" -> learned[i];
                        default -> Math.max(h, learned[i]);
                    };
                    c.add(score >= threshold, r.injection());
                }
                out.printf(
                        Locale.ROOT,
                        "%-24s %-11s %9.3f %9.3f %9.3f%n",
                        subset + " (" + c.total() + ")",
                        layer,
                        c.precision(),
                        c.recall(),
                        c.falsePositiveRate());
                if (subset.equals("all") && layer.equals("both")) {
                    both = c;
                }
            }
        }
        Objects.requireNonNull(both, "every run scores all texts with both layers");
        double[] combined = new double[heldOut.size()];
        for (int i = 0; i < combined.length; i++) {
            combined[i] = Math.max(heuristics[i], learned[i]);
        }
        Roc roc = Roc.of(combined, heldOut.stream().map(Row::injection).toList());
        out.printf(
                Locale.ROOT,
                "held-out ROC of both layers: AUC %.3f; recall %.3f at FPR <= 5%% (threshold %.4f), %.3f at FPR <= 1%%"
                        + " (threshold %.4f): thresholds chosen on these rows, so read them as the curve, not as"
                        + " settings%n",
                roc.auc(),
                roc.recallAt(0.05),
                roc.thresholdAt(0.05),
                roc.recallAt(0.01),
                roc.thresholdAt(0.01));
        boolean ok = both.recall() >= minRecall && both.falsePositiveRate() <= maxFpr;
        if (!ok) {
            out.printf(
                    Locale.ROOT,
                    "below target: recall %.3f (min %.3f), false-positive rate %.3f (max %.3f)%n",
                    both.recall(),
                    minRecall,
                    both.falsePositiveRate(),
                    maxFpr);
        }
        return ok ? 0 : 1;
    }

    /** The labelled rows of every file; a line that is not a row with a text stops the run, naming file and line. */
    static List<Row> read(List<Path> files, boolean trainedOn) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isBlank()) {
                    continue;
                }
                String where = file + ":" + (i + 1);
                JsonNode n;
                try {
                    n = Json.mapper().readTree(line);
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException(
                            where + ": expected a JSON object {id, text, label}: " + e.getOriginalMessage());
                }
                String text = n.path("text").asText("");
                if (text.isBlank()) {
                    throw new IllegalArgumentException(where + ": 'text' is missing or blank");
                }
                String id = n.path("id").asText();
                String set = n.path("set").asText(id.startsWith("gen-") ? "generated" : "hand-written");
                rows.add(new Row(
                        id,
                        text,
                        n.path("label").asText().equals("injection"),
                        n.path("source").asText("user").equals("document"),
                        set,
                        trainedOn));
            }
        }
        return rows;
    }

    /**
     * The classifier's probability for each row, as the guard scores it (a long text by its worst window), a batch of
     * {@value InjectionClassifier#TRAINING_BATCH} texts at a time so any number of rows fits in memory.
     */
    private static double[] score(
            InjectionClassifier classifier, MiniLmEmbeddings embeddings, List<Row> rows, IntConsumer done) {
        double[] scores = new double[rows.size()];
        for (int from = 0; from < rows.size(); from += InjectionClassifier.TRAINING_BATCH) {
            int to = Math.min(rows.size(), from + InjectionClassifier.TRAINING_BATCH);
            List<Row> batch = rows.subList(from, to);
            List<String> users =
                    batch.stream().filter(r -> !r.document()).map(Row::text).toList();
            List<String> documents =
                    batch.stream().filter(Row::document).map(Row::text).toList();
            double[] user = classifier.score(embeddings, users);
            List<WindowScore> document =
                    InjectionGuard.scoreDocuments(documents, texts -> classifier.scoreWindows(embeddings, texts));
            int u = 0;
            int d = 0;
            for (int i = 0; i < batch.size(); i++) {
                scores[from + i] = batch.get(i).document() ? document.get(d++).probability() : user[u++];
            }
            done.accept(to);
        }
        return scores;
    }

    /**
     * A progress line on standard error after each batch, for runs longer than one batch (a short run stays quiet):
     * embedding tens of thousands of texts takes minutes.
     */
    private static IntConsumer progress(PrintWriter err, String what, int total) {
        if (total <= InjectionClassifier.TRAINING_BATCH) {
            return done -> {};
        }
        return done -> {
            err.printf(
                    Locale.ROOT,
                    "eval-injection: %s: embedded %,d of %,d texts (%d%%)%n",
                    what,
                    done,
                    total,
                    done * 100L / total);
            err.flush();
        };
    }

    /**
     * Chooses the thresholds at false-positive rates of 5% and 1% on the validation sets' benign rows (both layers, as
     * the guard scores), prints them with the validation recall, and with --calibrate-fpr moves the classifier so that
     * 0.5 is the threshold at that rate.
     */
    private InjectionClassifier calibrate(
            InjectionClassifier classifier,
            MiniLmEmbeddings embeddings,
            List<Row> validation,
            PrintWriter out,
            PrintWriter err) {
        double[] learned = score(classifier, embeddings, validation, progress(err, "validation", validation.size()));
        if (calibrateFpr != null) {
            double[] benign = new double
                    [(int) validation.stream().filter(r -> !r.injection()).count()];
            int k = 0;
            for (int i = 0; i < validation.size(); i++) {
                if (!validation.get(i).injection()) {
                    benign[k++] = learned[i];
                }
            }
            double at = Roc.quantileAbove(benign, calibrateFpr);
            at = Math.min(Math.max(at, 1e-6), 1 - 1e-6);
            double shift = Math.log(at / (1 - at));
            for (int i = 0; i < learned.length; i++) {
                double z = Math.log(learned[i] / (1 - learned[i] + 1e-300)) - shift;
                learned[i] = 1 / (1 + Math.exp(-z));
            }
            classifier = classifier.calibrated(at, Map.of());
        }
        double[] combined = new double[validation.size()];
        for (int i = 0; i < combined.length; i++) {
            combined[i] = Math.max(InjectionHeuristics.score(validation.get(i).text()), learned[i]);
        }
        Roc roc = Roc.of(combined, validation.stream().map(Row::injection).toList());
        Map<String, Double> thresholds = Map.of("fpr-0.05", roc.thresholdAt(0.05), "fpr-0.01", roc.thresholdAt(0.01));
        out.printf(
                Locale.ROOT,
                "validation (%d rows, %d benign): threshold %.4f at FPR <= 5%% (recall %.3f), %.4f at FPR <= 1%%"
                        + " (recall %.3f)%n",
                validation.size(),
                validation.stream().filter(r -> !r.injection()).count(),
                roc.thresholdAt(0.05),
                roc.recallAt(0.05),
                roc.thresholdAt(0.01),
                roc.recallAt(0.01));
        return classifier.calibrated(0.5, thresholds);
    }

    static final class Counts {
        long tp;
        long fp;
        long tn;
        long fn;

        void add(boolean flagged, boolean injection) {
            if (flagged && injection) {
                tp++;
            } else if (flagged) {
                fp++;
            } else if (injection) {
                fn++;
            } else {
                tn++;
            }
        }

        long total() {
            return tp + fp + tn + fn;
        }

        double precision() {
            return tp + fp == 0 ? 1 : (double) tp / (tp + fp);
        }

        double recall() {
            return tp + fn == 0 ? 1 : (double) tp / (tp + fn);
        }

        double falsePositiveRate() {
            return fp + tn == 0 ? 0 : (double) fp / (fp + tn);
        }
    }
}
