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

    /**
     * One version of the model: what it is trained with and where its files go. Both versions train on the same
     * generated data; the second changes only the regularisation.
     *
     * @param c liblinear's C: smaller means stronger L2 regularisation
     * @param change what differs from the version before, for the registry's lineage
     */
    record Recipe(String version, double c, String onnxFile, String schemaFile, String evaluationFile, String change) {
        String onnxName() {
            return onnxFile.substring(onnxFile.lastIndexOf('/') + 1);
        }
    }

    /** The first version, 1.0.0: C = 1. */
    static final Recipe FIRST =
            new Recipe(VERSION, LogisticTrainer.C, ONNX_FILE, SCHEMA_FILE, EVALUATION_FILE, "first");

    /**
     * 1.1.0: the same data, ten times stronger L2 regularisation (C = 0.1). Smaller weights lean less on any one
     * feature, which matters when the population moves after launch, as it did in the production sample.
     */
    static final Recipe RETRAINED = new Recipe(
            "1.1.0",
            0.1,
            "model/loan-risk-1.1.0.onnx",
            "model/loan-risk-1.1.0.schema.json",
            "model/loan-risk-1.1.0.evaluation.json",
            "retrained from 1.0.0 on the same data (data/train.csv) with L2 regularisation C 1 -> 0.1");

    /** Every version the build writes, oldest first. */
    static final List<Recipe> RECIPES = List.of(FIRST, RETRAINED);

    /** Everything a build produces. */
    record Artifacts(
            byte[] trainCsv,
            byte[] productionCsv,
            byte[] onnx,
            byte[] schema,
            Encoding encoding,
            LogisticModel model,
            List<Map<String, String>> holdout,
            Map<String, Map<String, Double>> metrics,
            Recipe recipe) {}

    private LoanRiskBuild() {}

    static Artifacts build() {
        return train(LoanRiskData.trainingCsv(), LoanRiskData.productionSampleCsv());
    }

    static Artifacts train(byte[] trainCsv, byte[] productionCsv) {
        return train(trainCsv, productionCsv, FIRST);
    }

    static Artifacts train(byte[] trainCsv, byte[] productionCsv, Recipe recipe) {
        List<Map<String, String>> rows = Csv.parse(trainCsv, TRAIN_FILE);
        List<Map<String, String>> training = rows.subList(0, rows.size() - HOLDOUT_ROWS);
        List<Map<String, String>> holdout = rows.subList(rows.size() - HOLDOUT_ROWS, rows.size());

        Encoding encoding = Encoding.fit(training);
        LogisticModel model = LogisticTrainer.fit(encode(encoding, training), labels(training), recipe.c());
        Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
        metrics.put("train", measure(encoding, model, training));
        metrics.put("holdout", measure(encoding, model, holdout));

        byte[] onnx = OnnxExport.toBytes(model, NAME, recipe.version(), DESCRIPTION);
        SchemaWriter.Provenance provenance = new SchemaWriter.Provenance(
                NAME,
                recipe.version(),
                DESCRIPTION,
                "L2-regularised logistic regression (liblinear L2R_LR, C=" + recipe.c()
                        + ", intercept unregularised) on standardised numbers and one-hot categories",
                recipe.onnxName(),
                Digests.sha256(onnx),
                TRAIN_FILE,
                Digests.sha256(trainCsv),
                training.size(),
                holdout.size());
        byte[] schema = SchemaWriter.toBytes(provenance, encoding, metrics);
        return new Artifacts(trainCsv, productionCsv, onnx, schema, encoding, model, holdout, metrics, recipe);
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
