package dev.airlock.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code airlock profile reference} and {@code airlock profile show}, on a store in a file. */
class ProfileCommandTest {
    private static final Path LOAN_MODEL = Path.of("../examples/loan-risk/model/loan-risk.onnx")
            .toAbsolutePath()
            .normalize();
    private static final Path TRAIN = Path.of("../examples/loan-risk/data/train.csv");

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    @Test
    void aReferenceFromAFile_isStoredAndShown() throws Exception {
        Path config = config();
        Path csv = dir.resolve("sample.csv");
        try (Stream<String> lines = Files.lines(TRAIN)) {
            Files.writeString(csv, lines.limit(1001).collect(Collectors.joining("\n")));
        }

        Run put = airlock("profile", "reference", "loan-risk", "1.0.0", csv.toString(), "-c", config.toString());
        Run shown =
                airlock("profile", "show", "loan-risk", "--version", "1.0.0", "--reference", "-c", config.toString());
        Run json = airlock("profile", "show", "loan-risk", "--json", "-c", config.toString());

        assertThat(put.exit()).as(put.err()).isZero();
        assertThat(put.out())
                .contains("reference profile of loan-risk@1.0.0: 1000 rows")
                .contains("label column default");
        assertThat(shown.exit()).as(shown.err()).isZero();
        assertThat(shown.out())
                .contains("1000 calls")
                .containsPattern("in   annual_income +n=1000 nulls=0 type_errors=0 +p01=")
                .containsPattern("out  predicted_class +n=1000 .*repay=");
        assertThat(json.exit()).as(json.err()).isZero();
        assertThat(json.out()).contains("\"object\" : \"profile\"").contains("\"count\" : 0");
    }

    @Test
    void badInput_isNamed() throws Exception {
        Path config = config();
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "region,purpose\nnorth\n");

        Run bad = airlock("profile", "reference", "loan-risk", "1.0.0", csv.toString(), "-c", config.toString());
        Run noModel = airlock("profile", "show", "nope", "-c", config.toString());

        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).contains("line 2: expected 2 fields as in the header, found 1");
        assertThat(noModel.exit()).isNotZero();
        assertThat(noModel.err()).contains("no model 'nope'");
    }

    private Path config() throws Exception {
        Path file = dir.resolve("airlock.yaml");
        Files.writeString(file, """
                server: {port: 0}
                store: {url: "jdbc:sqlite:%s"}
                providers:
                  loan: {kind: onnx-tabular, path: "%s"}
                models:
                  loan-risk: {kind: predict, provider: loan}
                """.formatted(dir.resolve("store.db"), LOAN_MODEL));
        return file;
    }

    private static Run airlock(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = AirlockCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }
}
