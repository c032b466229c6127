package dev.airlock.examples.loanrisk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed data and models (every version) are what the code produces: anyone can regenerate them and get the
 * same bytes. When a change to the generator or trainer is intended, run {@code examples/loan-risk/train.sh} and
 * commit the results.
 */
class ReproducibilityTest {
    private static final String HINT =
            " (run examples/loan-risk/train.sh and commit the results if this change is " + "intended)";

    static Stream<LoanRiskBuild.Recipe> versions() {
        return LoanRiskBuild.RECIPES.stream();
    }

    static LoanRiskBuild.Artifacts retrain(LoanRiskBuild.Recipe recipe) throws IOException {
        return LoanRiskBuild.train(
                committed(LoanRiskBuild.TRAIN_FILE), committed(LoanRiskBuild.PRODUCTION_FILE), recipe);
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

    @ParameterizedTest
    @MethodSource("versions")
    void retraining_reproducesEachCommittedVersion_onnxAndSchemaByteForByte(LoanRiskBuild.Recipe recipe)
            throws IOException {
        LoanRiskBuild.Artifacts retrained = retrain(recipe);
        assertThat(Digests.sha256(retrained.onnx()))
                .as("SHA-256 of " + recipe.onnxFile() + HINT)
                .isEqualTo(Digests.sha256(committed(recipe.onnxFile())));
        assertThat(new String(retrained.schema(), StandardCharsets.UTF_8))
                .as(recipe.schemaFile() + HINT)
                .isEqualTo(new String(committed(recipe.schemaFile()), StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @MethodSource("versions")
    void evaluatingEachRetrainedVersion_reproducesItsCommittedEvaluation(LoanRiskBuild.Recipe recipe, @TempDir Path dir)
            throws IOException {
        LoanRiskBuild.Artifacts retrained = retrain(recipe);
        Files.createDirectories(dir.resolve("model"));
        Files.write(dir.resolve(recipe.onnxFile()), retrained.onnx());
        Files.write(dir.resolve(recipe.schemaFile()), retrained.schema());

        byte[] evaluation = BuildLoanRiskModel.evaluate(dir.resolve(recipe.onnxFile()), retrained);

        assertThat(new String(evaluation, StandardCharsets.UTF_8))
                .as(recipe.evaluationFile() + HINT)
                .isEqualTo(new String(committed(recipe.evaluationFile()), StandardCharsets.UTF_8));
    }

    @Test
    void theSecondVersion_differsFromTheFirstOnlyByItsStatedChange() throws IOException {
        var first = retrain(LoanRiskBuild.FIRST);
        var second = retrain(LoanRiskBuild.RETRAINED);
        assertThat(LoanRiskBuild.RETRAINED.c()).isLessThan(LoanRiskBuild.FIRST.c());
        assertThat(second.encoding().columns()).isEqualTo(first.encoding().columns());
        double firstNorm = 0;
        double secondNorm = 0;
        for (int i = 0; i < first.model().weights().length; i++) {
            firstNorm += first.model().weights()[i] * first.model().weights()[i];
            secondNorm += second.model().weights()[i] * second.model().weights()[i];
        }
        assertThat(secondNorm).as("stronger regularisation shrinks the weights").isLessThan(firstNorm);
    }

    /** Tests run in the module's directory. */
    static byte[] committed(String file) throws IOException {
        return Files.readAllBytes(Path.of(file));
    }
}
