package dev.airlock.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.audit.AuditTrail;
import dev.airlock.audit.Sha256;
import dev.airlock.monitor.outcome.FairnessReport;
import dev.airlock.monitor.outcome.Interval;
import dev.airlock.monitor.outcome.LabelResult;
import dev.airlock.monitor.outcome.OutcomeReport;
import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.config.ConfigException;
import dev.airlock.server.config.Durations;
import dev.airlock.server.json.Json;
import dev.airlock.server.json.LabelLines;
import dev.airlock.server.json.OutcomeJson;
import dev.airlock.server.runtime.CommandStore;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code airlock labels upload} and {@code airlock accuracy}: ground truth in, what it shows out. */
final class OutcomeCommands {
    private OutcomeCommands() {}

    @Command(
            name = "labels",
            mixinStandardHelpOptions = true,
            description = "True outcomes of predictions, joined to them by Decision id.",
            subcommands = UploadCommand.class)
    static final class LabelsCommand {}

    @Command(
            name = "upload",
            mixinStandardHelpOptions = true,
            description = "Uploads labels for MODEL's predictions: CSV with a decision_id,label header (a .csv file)"
                    + " or JSON Lines of {\"decision_id\":…,\"label\":…}. Same label again: no change; a different one:"
                    + " replaced and audited as a correction. Exit code 1 when any line was refused.")
    static final class UploadCommand implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "MODEL", description = "The predict model the labels are for.")
        String model;

        @Parameters(index = "1", paramLabel = "FILE", description = "The labels (.csv, or JSON Lines otherwise).")
        Path file;

        @Option(
                names = "--tenant",
                paramLabel = "TENANT",
                description = "Whose Decisions these are. Default: bootstrap.admin_tenant.")
        String tenant;

        @Override
        public Integer call() throws Exception {
            AirlockConfig loaded = config.load();
            if (!loaded.models().containsKey(model)) {
                throw new ConfigException("'" + model + "' is not a model of " + config.path());
            }
            byte[] raw = Files.readAllBytes(file);
            var lines = LabelLines.parse(
                    new String(raw, StandardCharsets.UTF_8),
                    file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv"));
            String source = file.getFileName() + " sha256:"
                    + HexFormat.of().formatHex(Sha256.digest().digest(raw));
            String whose = tenant != null ? tenant : loaded.bootstrap().adminTenant();
            try (CommandStore store = CommandStore.open(loaded)) {
                var upload = store.outcomes(loaded, Clock.systemUTC())
                        .upload(whose, AuditTrail.commandLineActor(), model, lines, source);
                PrintWriter out = spec.commandLine().getOut();
                for (int i = 0; i < upload.results().size(); i++) {
                    if (upload.results().get(i) instanceof LabelResult.Refused r) {
                        out.printf("line %d: %s: %s%n", upload.lines().get(i), r.code(), r.message());
                    }
                }
                out.printf(
                        "%d labels: %d recorded, %d corrected, %d unchanged, %d refused%n",
                        upload.results().size(),
                        upload.count(LabelResult.Recorded.class),
                        upload.count(LabelResult.Corrected.class),
                        upload.count(LabelResult.Unchanged.class),
                        upload.count(LabelResult.Refused.class));
                return upload.count(LabelResult.Refused.class) == 0 ? 0 : 1;
            }
        }
    }

    @Command(
            name = "accuracy",
            mixinStandardHelpOptions = true,
            description = "Live accuracy, precision, recall, AUC and calibration of MODEL from labels, with 95%%"
                    + " intervals, against the evaluation and its production-adjusted expectation; fairness by the"
                    + " monitored attribute; the business case per month, promised and realised. Exit code 1 when"
                    + " accuracy is below expectation or a fairness limit is breached.")
    static final class AccuracyCommand implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "MODEL", description = "The predict model.")
        String model;

        @Option(names = "--version", paramLabel = "V", description = "One version. Default: all versions together.")
        String version;

        @Option(names = "--window", paramLabel = "DURATION", defaultValue = "30d", description = "Default: 30d.")
        String window;

        @Option(
                names = "--json",
                description = "Print the report as JSON (the form GET /v1/models/{name}/accuracy gives).")
        boolean json;

        @Override
        public Integer call() throws Exception {
            AirlockConfig loaded = config.load();
            if (!loaded.models().containsKey(model)) {
                throw new ConfigException("'" + model + "' is not a model of " + config.path());
            }
            Duration span = Durations.parseLookBack(window);
            OutcomeReport report;
            try (CommandStore store = CommandStore.openForReading(loaded)) {
                report = store.outcomes(loaded, Clock.systemUTC()).report(model, version, span);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                ObjectMapper mapper = Json.mapper();
                out.println(
                        mapper.writerWithDefaultPrettyPrinter().writeValueAsString(OutcomeJson.report(mapper, report)));
            } else {
                print(out, report);
            }
            boolean fairnessBreached =
                    report.fairness() != null && !report.fairness().breaches().isEmpty();
            return report.belowExpectation() || fairnessBreached ? 1 : 0;
        }

        private static void print(PrintWriter out, OutcomeReport r) {
            var m = r.metrics();
            out.printf(
                    "%s%s, %s to %s: %d predictions, %d labelled%n",
                    r.model(),
                    r.version() == null ? "" : " " + r.version(),
                    r.from(),
                    r.to(),
                    m.predictions(),
                    m.labelled());
            line(out, "accuracy", m.accuracy(), "Wilson");
            line(out, "precision", m.precision(), "Wilson");
            line(out, "recall", m.recall(), "Wilson");
            line(out, "ROC AUC", m.auc(), "DeLong");
            line(out, "calibration error", m.calibrationError(), "10 bins, bootstrap");
            if (r.expectedAccuracy() != null) {
                out.printf(
                        Locale.ROOT,
                        "  expected (PoC x (1 - production discount)): %.3f%s%n",
                        r.expectedAccuracy(),
                        r.belowExpectation() ? "  BELOW EXPECTATION" : "");
            }
            if (r.evaluation() != null) {
                out.printf(
                        Locale.ROOT,
                        "  evaluation %s (version %s, %s): accuracy %.3f, AUC %.3f%n",
                        r.evaluation().id(),
                        r.evaluation().modelVersion(),
                        r.evaluation().at(),
                        r.evaluation().accuracy(),
                        r.evaluation().auc());
            }
            if (r.fairness() != null) {
                FairnessReport f = r.fairness();
                out.printf(
                        Locale.ROOT,
                        "fairness by %s (favourable: %s): disparate impact %.3f, parity difference %.3f%n",
                        f.policy().attribute(),
                        f.favourableClass(),
                        f.disparateImpact(),
                        f.parityDifference());
                for (var g : f.groups()) {
                    out.printf(
                            Locale.ROOT,
                            "  %-12s %6d predictions, favourable %.3f, %d labelled, error %.3f%n",
                            g.value(),
                            g.predictions(),
                            g.favourableRate(),
                            g.labelled(),
                            g.errorRate().value());
                }
                f.breaches().forEach(b -> out.println("  BREACH: " + b));
            }
            if (r.roi() != null) {
                var roi = r.roi();
                out.printf(
                        Locale.ROOT,
                        "value per month: promised $%,.0f ((%.3f - %.3f) x $%,.2f x %,d), realised $%,.0f ((%.3f -"
                                + " %.3f) x $%,.2f x %,.0f; $%,.0f to $%,.0f)%n",
                        roi.promisedMonthlyValueUsd(),
                        roi.expectedAccuracy(),
                        roi.kpiBaseline(),
                        roi.valuePerCorrectUsd(),
                        roi.promisedMonthlyVolume(),
                        roi.realisedMonthlyValueUsd(),
                        roi.liveAccuracy().value(),
                        roi.kpiBaseline(),
                        roi.valuePerCorrectUsd(),
                        roi.actualMonthlyVolume(),
                        roi.realisedLowUsd(),
                        roi.realisedHighUsd());
            }
        }

        private static void line(PrintWriter out, String name, Interval i, String method) {
            out.printf(
                    Locale.ROOT,
                    "  %-18s %.3f  [%.3f, %.3f] 95%% %s, n=%d%n",
                    name,
                    i.value(),
                    i.low(),
                    i.high(),
                    method,
                    i.n());
        }
    }
}
