package dev.airlock.examples.loanrisk;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Data to model, in memory: generate both data files, train on the first 16,000 training rows, measure on the last
 * 4,000, export ONNX and write the schema. Every step is deterministic, so two builds give the same bytes.
 */
final class LoanRiskBuild {
    static final String NAME = "loan-risk";
    static final String VERSION = "1.0.0";
    static final String DESCRIPTION = "Probability that a personal-loan application defaults within its term.";
    static final String TRAIN_FILE = "data/train.csv";
    static final String PRODUCTION_FILE = "data/production-sample.csv";
    static final String ONNX_FILE = "model/loan-risk.onnx";
    static final String SCHEMA_FILE = "model/loan-risk.schema.json";
    static final String EVALUATION_FILE = "model/loan-risk.evaluation.json";
    static final int HOLDOUT_ROWS = 4_000;

    /** Everything a build produces. */
    record Artifacts(
            byte[] trainCsv,
            byte[] productionCsv,
            byte[] onnx,
            byte[] schema,
            Encoding encoding,
            LogisticModel model,
            List<Map<String, String>> holdout,
            Map<String, Map<String, Double>> metrics) {}

    private LoanRiskBuild() {}

    static Artifacts build() {
        return train(LoanRiskData.trainingCsv(), LoanRiskData.productionSampleCsv());
    }

    static Artifacts train(byte[] trainCsv, byte[] productionCsv) {
        List<Map<String, String>> rows = Csv.parse(trainCsv, TRAIN_FILE);
        List<Map<String, String>> training = rows.subList(0, rows.size() - HOLDOUT_ROWS);
        List<Map<String, String>> holdout = rows.subList(rows.size() - HOLDOUT_ROWS, rows.size());

        Encoding encoding = Encoding.fit(training);
        LogisticModel model = LogisticTrainer.fit(encode(encoding, training), labels(training));
        Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
        metrics.put("train", measure(encoding, model, training));
        metrics.put("holdout", measure(encoding, model, holdout));

        byte[] onnx = OnnxExport.toBytes(model, NAME, VERSION, DESCRIPTION);
        SchemaWriter.Provenance provenance = new SchemaWriter.Provenance(
                NAME,
                VERSION,
                DESCRIPTION,
                "L2-regularised logistic regression (liblinear L2R_LR, C=" + LogisticTrainer.C
                        + ", intercept unregularised) on standardised numbers and one-hot categories",
                "loan-risk.onnx",
                Digests.sha256(onnx),
                TRAIN_FILE,
                Digests.sha256(trainCsv),
                training.size(),
                holdout.size());
        byte[] schema = SchemaWriter.toBytes(provenance, encoding, metrics);
        return new Artifacts(trainCsv, productionCsv, onnx, schema, encoding, model, holdout, metrics);
    }

    static double[][] encode(Encoding encoding, List<Map<String, String>> rows) {
        return rows.stream().map(encoding::encode).toArray(double[][]::new);
    }

    static boolean[] labels(List<Map<String, String>> rows) {
        boolean[] labels = new boolean[rows.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = rows.get(i).get(ApplicationRows.LABEL).equals("1");
        }
        return labels;
    }

    private static Map<String, Double> measure(Encoding encoding, LogisticModel model, List<Map<String, String>> rows) {
        double[][] x = encode(encoding, rows);
        double[] p = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            p[i] = model.probability(x[i]);
        }
        boolean[] y = labels(rows);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("auc", Metrics.auc(p, y));
        metrics.put("logLoss", Metrics.logLoss(p, y));
        metrics.put("defaultRate", Metrics.rate(y));
        metrics.put("meanProbability", Metrics.mean(p));
        return metrics;
    }
}
