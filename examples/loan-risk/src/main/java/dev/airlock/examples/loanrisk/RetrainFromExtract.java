package dev.airlock.examples.loanrisk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The example's retraining step, run by Airlock as {@code monitoring.retraining.command} (through {@code retrain.sh}):
 * reads the data extract Airlock wrote ({@code AIRLOCK_EXTRACT}: the features recent Decisions kept and the labels
 * that arrived for them), trains the same model as {@link BuildLoanRiskModel} (liblinear L2R_LR on standardised
 * numbers and one-hot categories, C = 0.1) on its older 80 % and measures it on the newest 20 %, writes the ONNX model
 * and its schema into the run's directory ({@code AIRLOCK_RUN_DIR}) and prints the candidate as its last line:
 *
 * <pre>{@code
 * {"candidate_version":"1.0.0-rt3f2a9c1d","artifact":"loan-risk-1.0.0-rt3f2a9c1d.onnx","sha256":"…","metrics":{…}}
 * }</pre>
 *
 * Exit 2 when the extract cannot make a model (too few rows, one class only).
 */
public final class RetrainFromExtract {
    static final int MIN_ROWS = 40;
    static final double C = 0.1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private RetrainFromExtract() {}

    public static void main(String[] args) throws IOException {
        Map<String, String> env = System.getenv();
        Path extract = Path.of(required(env, "AIRLOCK_EXTRACT"));
        Path out = Path.of(required(env, "AIRLOCK_RUN_DIR"));
        String version = candidateVersion(required(env, "AIRLOCK_VERSION"), required(env, "AIRLOCK_RUN_ID"));
        System.exit(run(extract, out, version));
    }

    /** Trains from {@code extract} into {@code out}; returns the exit code. */
    static int run(Path extract, Path out, String version) throws IOException {
        List<Map<String, String>> rows = new ArrayList<>();
        for (Map<String, String> row : Csv.read(extract)) {
            Map<String, String> r = new LinkedHashMap<>(row);
            r.put(ApplicationRows.LABEL, "default".equals(row.get("label")) ? "1" : "0");
            rows.add(r);
        }
        boolean[] all = LoanRiskBuild.labels(rows);
        int positives = 0;
        for (boolean p : all) {
            positives += p ? 1 : 0;
        }
        System.out.printf("extract %s: %d labelled rows, %d defaults%n", extract, rows.size(), positives);
        if (rows.size() < MIN_ROWS || positives == 0 || positives == rows.size()) {
            System.err.printf(
                    "cannot retrain: need at least %d rows with both outcomes, got %d rows and %d defaults%n",
                    MIN_ROWS, rows.size(), positives);
            return 2;
        }
        int split = rows.size() - Math.max(1, rows.size() / 5);
        List<Map<String, String>> training = rows.subList(0, split);
        List<Map<String, String>> holdout = rows.subList(split, rows.size());
        Encoding encoding = Encoding.fit(training);
        LogisticModel model =
                LogisticTrainer.fit(LoanRiskBuild.encode(encoding, training), LoanRiskBuild.labels(training), C);
        Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
        metrics.put("train", measure(encoding, model, training));
        metrics.put("holdout", measure(encoding, model, holdout));

        byte[] onnx = OnnxExport.toBytes(model, LoanRiskBuild.NAME, version, LoanRiskBuild.DESCRIPTION);
        String onnxName = LoanRiskBuild.NAME + "-" + version + ".onnx";
        byte[] schema = SchemaWriter.toBytes(
                new SchemaWriter.Provenance(
                        LoanRiskBuild.NAME,
                        version,
                        LoanRiskBuild.DESCRIPTION,
                        "L2-regularised logistic regression (liblinear L2R_LR, C=" + C
                                + ", intercept unregularised), retrained by Airlock on its extract",
                        onnxName,
                        Digests.sha256(onnx),
                        extract.getFileName().toString(),
                        Digests.sha256(Files.readAllBytes(extract)),
                        training.size(),
                        holdout.size()),
                encoding,
                metrics);
        Files.createDirectories(out);
        Files.write(out.resolve(onnxName), onnx);
        Files.write(out.resolve(LoanRiskBuild.NAME + "-" + version + ".schema.json"), schema);
        System.out.printf("wrote %s (%d training rows, %d holdout)%n", out.resolve(onnxName), split, holdout.size());

        ObjectNode line = JSON.createObjectNode()
                .put("candidate_version", version)
                .put("artifact", onnxName)
                .put("sha256", Digests.sha256(onnx));
        ObjectNode m = line.putObject("metrics");
        if (metrics.get("holdout").containsKey("auc")) {
            m.put("holdout_auc", metrics.get("holdout").get("auc"));
        }
        m.put("holdout_log_loss", metrics.get("holdout").get("logLoss"));
        m.put("train_rows", training.size());
        System.out.println(JSON.writeValueAsString(line));
        return 0;
    }

    /** The run's version: the one it retrains, with the run id's last eight hex digits, e.g. {@code 1.0.0-rt3f2a9c1d}. */
    static String candidateVersion(String from, String runId) {
        String hex = runId.replace("-", "");
        return from + "-rt" + hex.substring(Math.max(0, hex.length() - 8));
    }

    private static Map<String, Double> measure(Encoding encoding, LogisticModel model, List<Map<String, String>> rows) {
        double[][] x = LoanRiskBuild.encode(encoding, rows);
        double[] p = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            p[i] = model.probability(x[i]);
        }
        boolean[] y = LoanRiskBuild.labels(rows);
        Map<String, Double> metrics = new LinkedHashMap<>();
        boolean both = false;
        for (boolean v : y) {
            both |= v != y[0];
        }
        if (both) {
            metrics.put("auc", Metrics.auc(p, y)); // undefined on one class
        }
        metrics.put("logLoss", Metrics.logLoss(p, y));
        metrics.put("defaultRate", Metrics.rate(y));
        metrics.put("meanProbability", Metrics.mean(p));
        return metrics;
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            System.err.println(name + " is not set: this program is run by Airlock's retraining (see retrain.sh)");
            System.exit(64);
        }
        return value;
    }
}
