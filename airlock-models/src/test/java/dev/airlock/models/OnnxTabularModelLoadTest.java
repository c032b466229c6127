package dev.airlock.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxTabularModelLoadTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void load_readsTheSidecarSchemaNextToTheOnnxFile() {
        try (OnnxTabularModel model = OnnxTabularModel.load("credit", LoanRiskFixture.copyTo(dir))) {
            assertThat(model.version()).isEqualTo("1.0.0");
            assertThat(model.baselineLogOdds()).isBetween(-5.0, 0.0);
        }
    }

    @Test
    void missingSchema_failsNamingTheFileItLookedFor() throws IOException {
        Path onnx = LoanRiskFixture.copyTo(dir);
        Files.delete(dir.resolve(LoanRiskFixture.SCHEMA));

        assertThatThrownBy(() -> OnnxTabularModel.load("credit", onnx))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(dir.resolve("loan-risk.schema.json").toString())
                .hasMessageContaining("schema file not found");
    }

    @Test
    void missingOnnxFile_failsNamingIt() {
        assertThatThrownBy(() -> OnnxTabularModel.load("credit", dir.resolve("nothing.onnx")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model 'credit': ONNX file not found: ")
                .hasMessageContaining("nothing.onnx");
    }

    @Test
    void schemaThatIsNotJson_failsWithTheLine() throws IOException {
        Path onnx = LoanRiskFixture.copyTo(dir);
        Files.writeString(dir.resolve(LoanRiskFixture.SCHEMA), "{\n  \"format\": \n}");

        assertThatThrownBy(() -> OnnxTabularModel.load("credit", onnx))
                .hasMessageContaining("loan-risk.schema.json: not valid JSON at line 3");
    }

    @Test
    void invalidField_failsNamingTheFileAndTheField() throws IOException {
        Path onnx = editSchema(root -> ((ObjectNode) root.withArray("features").get(1)).put("std", 0));

        assertThatThrownBy(() -> OnnxTabularModel.load("credit", onnx))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("loan-risk.schema.json: features[1].std: expected a positive number, got 0");
    }

    @Test
    void missingField_failsNamingIt() throws IOException {
        Path onnx = editSchema(root -> ((ObjectNode) root.get("model")).remove("version"));

        assertThatThrownBy(() -> OnnxTabularModel.load("credit", onnx))
                .hasMessageEndingWith("loan-risk.schema.json: model.version: is required");
    }

    @Test
    void aliasToNoCategory_failsNamingTheAlias() throws IOException {
        Path onnx = editSchema(
                root -> ((ObjectNode) root.withArray("features").get(8).get("aliases")).put("flat", "lease"));

        assertThatThrownBy(() -> OnnxTabularModel.load("credit", onnx))
                .hasMessageEndingWith("features[8].aliases.flat: expected one of the categories, got \"lease\"");
    }

    @Test
    void schemaForAnotherModelFile_failsOnTheDigest() throws IOException {
        Path onnx = editSchema(root -> ((ObjectNode) root.get("onnx")).put("sha256", "00".repeat(32)));

        assertThatThrownBy(() -> OnnxTabularModel.load("credit", onnx))
                .hasMessageContaining("onnx.sha256: the schema is for a model hashing to 0000")
                .hasMessageContaining("but loan-risk.onnx hashes to ");
    }

    @Test
    void featuresThatDisagreeWithTheGraph_failOnTheInputWidth() throws IOException {
        Path onnx = editSchema(root -> {
            ((ObjectNode) root.get("onnx")).remove("sha256");
            root.remove("columns");
            ((ArrayNode) root.withArray("features").get(10).get("categories")).remove(3);
            ((ObjectNode) root.withArray("features").get(10).get("reasonCodes")).remove("west");
            ((ObjectNode) root.withArray("features").get(10).get("aliases")).remove("w");
        });

        assertThatThrownBy(() -> OnnxTabularModel.load("credit", onnx))
                .hasMessageContaining("onnx.input: expected 'features' to be float[N, 24] as the features declare");
    }

    @Test
    void columnsThatDisagreeWithTheFeatures_failNamingTheColumn() throws IOException {
        Path onnx = editSchema(root -> root.withArray("columns").set(8, "home_ownership=renter"));

        assertThatThrownBy(() -> OnnxTabularModel.load("credit", onnx))
                .hasMessageEndingWith("columns[8]: the features make this column \"home_ownership=rent\", but columns "
                        + "says \"home_ownership=renter\"");
    }

    @Test
    void notAnOnnxFileName_isRejected() {
        assertThatThrownBy(() -> OnnxTabularModel.load("credit", dir.resolve("model.bin")))
                .hasMessage("model 'credit': expected an .onnx file, got " + dir.resolve("model.bin"));
    }

    private Path editSchema(Consumer<ObjectNode> edit) throws IOException {
        Path onnx = LoanRiskFixture.copyTo(dir);
        Path schema = dir.resolve(LoanRiskFixture.SCHEMA);
        ObjectNode root = (ObjectNode) JSON.readTree(schema.toFile());
        edit.accept(root);
        JSON.writeValue(schema.toFile(), root);
        return onnx;
    }
}
