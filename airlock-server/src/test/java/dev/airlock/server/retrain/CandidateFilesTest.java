package dev.airlock.server.retrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.monitor.retrain.Candidate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A candidate is declared once, from an artifact its own run wrote: never overwritten, never a file elsewhere. */
class CandidateFilesTest {
    @TempDir
    Path dir;

    @Test
    void aSecondRunReportingTheSameVersion_isRefused_andTheFirstDeclarationStays() throws Exception {
        var files = new CandidateFiles(dir.resolve("candidates"), true, Set.of("1.0.0"));
        Path first = run("run-1", "first");
        Path second = run("run-2", "second");

        Candidate registered = files.register("loan-risk", candidate("2.0.0", "model.onnx"), first);
        String declared = Files.readString(dir.resolve("candidates/loan-risk-2.0.0.yaml"));

        assertThat(registered.version()).isEqualTo("2.0.0");
        assertThatThrownBy(() -> files.register("loan-risk", candidate("2.0.0", "model.onnx"), second))
                .hasMessageContaining("already registered");
        assertThat(Files.readString(dir.resolve("candidates/loan-risk-2.0.0.yaml")))
                .isEqualTo(declared)
                .contains("run-1");
    }

    @Test
    void anArtifactOutsideTheRunsDirectory_isRefused() throws Exception {
        var files = new CandidateFiles(dir.resolve("candidates"), true, Set.of());
        Path run = run("run-1", "model");
        Files.writeString(dir.resolve("elsewhere.onnx"), "not the run's");

        assertThatThrownBy(() -> files.register("loan-risk", candidate("2.0.0", "../elsewhere.onnx"), run))
                .hasMessageContaining("outside the run's directory");
        assertThatThrownBy(() -> files.register(
                        "loan-risk",
                        candidate("2.0.1", dir.resolve("elsewhere.onnx").toString()),
                        run))
                .hasMessageContaining("outside the run's directory");
        assertThat(dir.resolve("candidates")).doesNotExist();
    }

    private Path run(String name, String content) throws Exception {
        Path run = Files.createDirectories(dir.resolve("runs").resolve(name));
        Files.writeString(run.resolve("model.onnx"), content);
        return run;
    }

    private static Candidate candidate(String version, String artifact) {
        return new Candidate(version, artifact, null, Map.of(), null);
    }
}
