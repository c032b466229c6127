package dev.airlock.examples.loanrisk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed data and model are what the code produces: anyone can regenerate them and get the same bytes. When a
 * change to the generator or trainer is intended, run {@code examples/loan-risk/train.sh} and commit the results.
 */
class ReproducibilityTest {
    private static final String HINT =
            " (run examples/loan-risk/train.sh and commit the results if this change is " + "intended)";

    static LoanRiskBuild.Artifacts retrained;

    @BeforeAll
    static void retrainFromTheCommittedData() throws IOException {
        retrained = LoanRiskBuild.train(committed(LoanRiskBuild.TRAIN_FILE), committed(LoanRiskBuild.PRODUCTION_FILE));
    }

    @Test
    void generator_reproducesTheCommittedTrainingData() throws IOException {
        assertThat(Digests.sha256(LoanRiskData.trainingCsv()))
                .as("SHA-256 of data/train.csv" + HINT)
                .isEqualTo(Digests.sha256(committed(LoanRiskBuild.TRAIN_FILE)));
    }

    @Test
    void generator_reproducesTheCommittedProductionSample() throws IOException {
        assertThat(Digests.sha256(LoanRiskData.productionSampleCsv()))
                .as("SHA-256 of data/production-sample.csv" + HINT)
                .isEqualTo(Digests.sha256(committed(LoanRiskBuild.PRODUCTION_FILE)));
    }

    @Test
    void retraining_reproducesTheCommittedOnnxModelByteForByte() throws IOException {
        assertThat(Digests.sha256(retrained.onnx()))
                .as("SHA-256 of model/loan-risk.onnx" + HINT)
                .isEqualTo(Digests.sha256(committed(LoanRiskBuild.ONNX_FILE)));
    }

    @Test
    void retraining_reproducesTheCommittedSchemaByteForByte() throws IOException {
        assertThat(new String(retrained.schema(), StandardCharsets.UTF_8))
                .as("model/loan-risk.schema.json" + HINT)
                .isEqualTo(new String(committed(LoanRiskBuild.SCHEMA_FILE), StandardCharsets.UTF_8));
    }

    @Test
    void evaluatingTheRetrainedModel_reproducesTheCommittedEvaluation(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("model"));
        Files.write(dir.resolve(LoanRiskBuild.ONNX_FILE), retrained.onnx());
        Files.write(dir.resolve(LoanRiskBuild.SCHEMA_FILE), retrained.schema());

        byte[] evaluation = BuildLoanRiskModel.evaluate(dir.resolve(LoanRiskBuild.ONNX_FILE), retrained);

        assertThat(new String(evaluation, StandardCharsets.UTF_8))
                .as("model/loan-risk.evaluation.json" + HINT)
                .isEqualTo(new String(committed(LoanRiskBuild.EVALUATION_FILE), StandardCharsets.UTF_8));
    }

    /** Tests run in the module's directory. */
    static byte[] committed(String file) throws IOException {
        return Files.readAllBytes(Path.of(file));
    }
}
