package dev.airlock.server.cli;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.airlock.audit.AuditTrail;
import dev.airlock.audit.Sha256;
import dev.airlock.auth.ApiKeys;
import dev.airlock.decision.DecisionIds;
import dev.airlock.decision.RequestKind;
import dev.airlock.decision.Role;
import dev.airlock.evidence.Evaluation;
import dev.airlock.pipeline.Caller;
import dev.airlock.provider.PredictRequest;
import dev.airlock.readiness.EvidenceDesk;
import dev.airlock.server.Airlock;
import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.config.ConfigException;
import dev.airlock.server.config.ModelConfig;
import dev.airlock.server.runtime.CommandStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code airlock evaluate MODEL --sample FILE}: scores a raw production sample through the model exactly as production
 * would send it (invalid rows are refused and count as wrong), measures it against the observed outcomes, recomputes
 * the business case at production-adjusted accuracy, and records the result for the readiness gate.
 */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description = "Evaluates a predict model on a raw production sample (CSV with the observed outcome) and records"
                + " accuracy, AUC and the production-adjusted business case (operations.evaluation).")
final class EvaluateCommand implements Callable<Integer> {
    /** Fewer scorable rows than this measure nothing worth recording. */
    static final int MIN_SCORABLE_ROWS = 30;

    /** Nor does a sample of which less than this share could be scored: the flags, not the model, are wrong. */
    static final double MIN_SCORABLE_SHARE = 0.5;

    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "A predict model.")
    String model;

    @Option(
            names = "--model-version",
            paramLabel = "VERSION",
            description = "The version to evaluate (called as MODEL@VERSION). Default: the declared version.")
    @Nullable
    String pinned;

    @Option(names = "--sample", required = true, paramLabel = "CSV", description = "The production sample.")
    Path sample;

    @Option(names = "--label", required = true, description = "The column with the observed outcome.")
    String label;

    @Option(names = "--positive", defaultValue = "1", description = "The outcome value of the positive class.")
    String positive;

    @Option(names = "--positive-class", required = true, description = "The model's label for that class.")
    String positiveClass;

    @Option(names = "--id-column", description = "A column that identifies the row and is not a feature.")
    @Nullable
    String idColumn;

    @Override
    public Integer call() throws Exception {
        AirlockConfig loaded = config.load();
        ModelConfig m = loaded.models().get(model);
        if (m == null || m.kind() != RequestKind.PREDICT) {
            throw new ConfigException("'" + model + "' is not a predict model of " + config.path());
        }
        byte[] raw = Files.readAllBytes(sample);
        List<Map<String, String>> rows = read(raw);
        if (!rows.isEmpty() && !rows.getFirst().containsKey(label)) {
            throw new IllegalArgumentException("--label " + label + " names no column of " + sample + "; columns: "
                    + rows.getFirst().keySet());
        }
        Path scratch = Files.createTempDirectory("airlock-evaluate");
        var issued = ApiKeys.issue("evaluation", Role.APP, "evaluation", Instant.now(), null);
        List<Double> scores = new ArrayList<>();
        List<Boolean> outcomes = new ArrayList<>();
        long correct = 0;
        String version;
        AirlockConfig underTest = Rehearsal.of(loaded, loaded.providers(), Map.of(model, m), scratch);
        try (Airlock node = Airlock.start(underTest)) {
            try (CommandStore scratchStore = CommandStore.openForReading(underTest)) {
                scratchStore.keyStore().insertKey(issued.record());
            }
            version = pinned != null
                    ? node.catalog()
                            .find(model, pinned)
                            .orElseThrow(() -> new ConfigException(
                                    "model " + model + " has no version '" + pinned + "'; declared: "
                                            + node.catalog().versions(model).keySet()))
                            .spec()
                            .version()
                    : node.catalog().find(model).orElseThrow().spec().version();
            String target = pinned == null ? model : model + "@" + pinned;
            for (Map<String, String> row : rows) {
                Map<String, Object> features = new LinkedHashMap<>(row);
                boolean actual =
                        positive.equals(String.valueOf(features.remove(label)).strip());
                if (idColumn != null) {
                    features.remove(idColumn);
                }
                var decided = node.pipeline().predict(Caller.of(issued.key()), new PredictRequest(target, features));
                if (decided.answer() == null) {
                    continue; // refused as invalid: counts as wrong
                }
                var prediction = decided.answer();
                if (!prediction.probabilities().containsKey(positiveClass)) {
                    throw new IllegalArgumentException(
                            "--positive-class " + positiveClass + " is not a label of " + model + "; its labels: "
                                    + prediction.probabilities().keySet());
                }
                if (prediction.label().equals(positiveClass) == actual) {
                    correct++;
                }
                scores.add(prediction.probabilities().getOrDefault(positiveClass, 0.0));
                outcomes.add(actual);
            }
        } finally {
            Rehearsal.deleteQuietly(scratch);
        }
        String tooLittle = tooLittleScored(rows, scores.size());
        if (tooLittle != null) {
            spec.commandLine().getErr().println(tooLittle);
            return 1;
        }
        if (!outcomes.isEmpty() && !outcomes.contains(true)) {
            spec.commandLine()
                    .getErr()
                    .printf(
                            "evaluate: no row has %s = %s, so nothing is positive. Not recorded."
                                    + " Likely cause: --positive (the value of the label column that means the positive class)%n",
                            label, positive);
            return 1;
        }
        double[] s = scores.stream().mapToDouble(Double::doubleValue).toArray();
        boolean[] y = new boolean[outcomes.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = outcomes.get(i);
        }
        Evaluation evaluation =
                evaluation(m, version, raw, rows.size(), s.length, (double) correct / rows.size(), s, y);
        try (CommandStore store = CommandStore.open(loaded)) {
            new EvidenceDesk(store.evidenceStore(), new AuditTrail(store.auditChain(), Clock.systemUTC()))
                    .recordEvaluation(evaluation, AuditTrail.commandLineActor());
        }
        print(evaluation);
        return 0;
    }

    /**
     * Why an evaluation that scored too little is not evidence, naming the flag that is likely wrong; null when enough
     * rows were scored.
     */
    @Nullable
    String tooLittleScored(List<Map<String, String>> rows, int scored) {
        int total = rows.size();
        if (scored >= MIN_SCORABLE_ROWS && scored >= MIN_SCORABLE_SHARE * total) {
            return null;
        }
        Map<String, String> first = rows.isEmpty() ? Map.of() : rows.getFirst();
        String hint;
        if (idColumn == null
                && first.keySet().stream()
                        .anyMatch(c -> c.toLowerCase(Locale.ROOT).endsWith("id"))) {
            hint = "the sample has an id column the model refuses as an unknown feature; pass --id-column "
                    + first.keySet().stream()
                            .filter(c -> c.toLowerCase(Locale.ROOT).endsWith("id"))
                            .findFirst()
                            .orElseThrow();
        } else if (idColumn != null && !first.isEmpty() && !first.containsKey(idColumn)) {
            hint = "--id-column " + idColumn + " names no column of " + sample + "; columns: " + first.keySet();
        } else {
            hint = "check that the sample's columns are the model's features (plus --label and --id-column)";
        }
        return String.format(
                Locale.ROOT,
                "evaluate: %d of %d rows could be scored; an evaluation needs at least %d scorable rows and at least"
                        + " %.0f%% of the sample. Not recorded. Likely cause: %s",
                scored,
                total,
                MIN_SCORABLE_ROWS,
                100 * MIN_SCORABLE_SHARE,
                hint);
    }

    private Evaluation evaluation(
            ModelConfig m,
            String version,
            byte[] raw,
            long total,
            long scored,
            double accuracy,
            double[] s,
            boolean[] y) {
        var business = m.operations() == null ? null : m.operations().evaluation();
        Double poc = business == null ? null : business.pocAccuracy();
        Double discount =
                business == null ? null : business.productionDiscount() == null ? 0.3 : business.productionDiscount();
        Double adjusted = poc == null || discount == null ? null : poc * (1 - discount);
        Double baseline = business == null ? null : business.kpiBaseline();
        Double value = business == null
                        || baseline == null
                        || business.valuePerCorrectUsd() == null
                        || business.monthlyVolume() == null
                ? null
                : (accuracy - baseline) * business.monthlyVolume() * business.valuePerCorrectUsd();
        String digest = HexFormat.of().formatHex(Sha256.digest().digest(raw));
        return new Evaluation(
                DecisionIds.next(System.currentTimeMillis()),
                model,
                version,
                Instant.now(),
                sample.getFileName() + " sha256:" + digest,
                total,
                scored,
                accuracy,
                Evaluation.auc(s, y),
                poc,
                poc == null ? null : discount,
                adjusted,
                baseline,
                value);
    }

    private static List<Map<String, String>> read(byte[] raw) throws Exception {
        CsvMapper csv = new CsvMapper();
        try (MappingIterator<Map<String, String>> it = csv.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader())
                .readValues(raw)) {
            return it.readAll();
        }
    }

    private void print(Evaluation e) {
        var out = spec.commandLine().getOut();
        out.printf(
                Locale.ROOT,
                "%s (version %s) on %s:%n  %d rows, %d scorable; accuracy %.3f over all rows, AUC %.3f over the"
                        + " scorable%n",
                e.model(),
                e.modelVersion(),
                e.sample(),
                e.rows(),
                e.scored(),
                e.accuracy(),
                e.auc());
        if (e.adjustedAccuracy() != null) {
            out.printf(
                    Locale.ROOT,
                    "  PoC accuracy %.3f, discounted %.0f%% for production: expected %.3f, measured %.3f%n",
                    e.pocAccuracy(),
                    100 * Objects.requireNonNullElse(e.productionDiscount(), 0.0),
                    e.adjustedAccuracy(),
                    e.accuracy());
        }
        if (e.kpiBaseline() != null) {
            out.printf(
                    Locale.ROOT,
                    "  baseline %.3f: %s%s%n",
                    e.kpiBaseline(),
                    e.accuracy() >= e.kpiBaseline() ? "beaten" : "NOT beaten",
                    e.monthlyValueUsd() == null
                            ? ""
                            : String.format(Locale.ROOT, "; about $%,.0f a month", e.monthlyValueUsd()));
        }
        out.printf("recorded as evaluation %s%n", e.id());
    }
}
