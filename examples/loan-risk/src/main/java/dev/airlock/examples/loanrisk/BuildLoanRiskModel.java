package dev.airlock.examples.loanrisk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.models.OnnxTabularModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Regenerates the example from nothing: {@code data/train.csv}, {@code data/production-sample.csv},
 * {@code model/loan-risk.onnx}, {@code model/loan-risk.schema.json} and {@code model/loan-risk.evaluation.json}.
 *
 * <pre>
 * examples/loan-risk/train.sh
 * # or: ./mvnw -q -pl examples/loan-risk -am install -DskipTests &amp;&amp; ./mvnw -q -pl examples/loan-risk exec:java
 * </pre>
 */
public final class BuildLoanRiskModel {
    private BuildLoanRiskModel() {}

    /** @param args the example's directory (default: the working directory) */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : ".");
        LoanRiskBuild.Artifacts artifacts = LoanRiskBuild.build();
        write(dir.resolve(LoanRiskBuild.TRAIN_FILE), artifacts.trainCsv());
        write(dir.resolve(LoanRiskBuild.PRODUCTION_FILE), artifacts.productionCsv());
        write(dir.resolve(LoanRiskBuild.ONNX_FILE), artifacts.onnx());
        write(dir.resolve(LoanRiskBuild.SCHEMA_FILE), artifacts.schema());
        byte[] evaluation = evaluate(dir.resolve(LoanRiskBuild.ONNX_FILE), artifacts);
        write(dir.resolve(LoanRiskBuild.EVALUATION_FILE), evaluation);

        artifacts
                .metrics()
                .forEach((split, m) -> System.out.printf(
                        "%-8s AUC %.4f  log-loss %.4f  default rate %.4f  mean p %.4f%n",
                        split, m.get("auc"), m.get("logLoss"), m.get("defaultRate"), m.get("meanProbability")));
        List<String> columns = artifacts.encoding().columns();
        System.out.printf("%-28s %9.4f%n", "intercept", artifacts.model().intercept());
        for (int i = 0; i < columns.size(); i++) {
            System.out.printf("%-28s %9.4f%n", columns.get(i), artifacts.model().weights()[i]);
        }
        System.out.print(new String(evaluation, StandardCharsets.UTF_8));
    }

    /** Scores the holdout and the production sample through the runtime, as a served model would. */
    static byte[] evaluate(Path onnxFile, LoanRiskBuild.Artifacts artifacts) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("model", LoanRiskBuild.NAME);
        root.put("version", LoanRiskBuild.VERSION);
        try (OnnxTabularModel model = OnnxTabularModel.load(LoanRiskBuild.NAME, onnxFile)) {
            List<Applicant> trainingApplicants = LoanRiskData.trainingApplicants();
            double[] holdoutTruth =
                    trainingApplicants
                            .subList(trainingApplicants.size() - LoanRiskBuild.HOLDOUT_ROWS, trainingApplicants.size())
                            .stream()
                            .mapToDouble(Applicant::defaultProbability)
                            .toArray();
            ObjectNode holdout = ProductionEvaluation.score(model, artifacts.holdout(), holdoutTruth)
                    .toJson(json);
            root.set("holdout", holdout);

            List<Map<String, String>> production = Csv.parse(artifacts.productionCsv(), LoanRiskBuild.PRODUCTION_FILE);
            double[] productionTruth = LoanRiskData.productionApplicants().stream()
                    .mapToDouble(Applicant::defaultProbability)
                    .toArray();
            ObjectNode sample = json.createObjectNode();
            sample.put("file", LoanRiskBuild.PRODUCTION_FILE);
            sample.put("sha256", Digests.sha256(artifacts.productionCsv()));
            sample.setAll(ProductionEvaluation.score(model, production, productionTruth)
                    .toJson(json));
            root.set("productionSample", sample);
        }
        return SchemaWriter.pretty(root);
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }
}
