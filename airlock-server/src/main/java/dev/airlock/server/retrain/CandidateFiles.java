package dev.airlock.server.retrain;

import dev.airlock.monitor.retrain.Candidate;
import dev.airlock.monitor.retrain.Retraining;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Registers a candidate the way every version is declared here, as configuration: checks its artifact (present, and
 * its SHA-256 the one reported), then writes the version's declaration, {@code candidates/<model>-<version>.yaml}
 * under the retraining directory: a provider for the artifact and the {@code versions} entry with its digest, the
 * extract's digest as training data, the metrics and the run as lineage. Adding it to the model's configuration
 * declares the version without promoting it: evaluation, shadow, canary and the gate decide the rest.
 */
final class CandidateFiles implements Retraining.Registrar {
    private final Path candidates;
    private final boolean tabular;
    private final Set<String> declared;

    /**
     * @param candidates the directory declarations are written to
     * @param tabular whether the model is a predict model (an {@code .onnx} artifact gets an {@code onnx-tabular}
     *     provider)
     * @param declared the versions the model already declares: a candidate may not reuse one
     */
    CandidateFiles(Path candidates, boolean tabular, Set<String> declared) {
        this.candidates = candidates;
        this.tabular = tabular;
        this.declared = Set.copyOf(declared);
    }

    @Override
    public Candidate register(String model, Candidate c, Path directory) throws IOException {
        if (!c.version().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("candidate_version '" + c.version()
                    + "' is not a version name (letters, digits, '.', '_', '-'; at most 64)");
        }
        if (declared.contains(c.version())) {
            throw new IllegalArgumentException(
                    "version " + c.version() + " of " + model + " is already declared; a candidate needs a new one");
        }
        Path declaration = candidates.resolve(model + "-" + c.version() + ".yaml");
        if (Files.exists(declaration)) {
            throw new IllegalArgumentException("candidate " + c.version() + " of " + model + " is already registered ("
                    + declaration + "); a candidate needs a new version");
        }
        String artifact = c.artifact();
        String sha256 = c.sha256();
        if (!hasScheme(artifact)) {
            Path run = directory.toAbsolutePath().normalize();
            Path file = run.resolve(artifact).normalize();
            if (!file.startsWith(run)) {
                throw new IllegalArgumentException("the artifact " + artifact
                        + " is outside the run's directory; write it there, or report a URI");
            }
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("the artifact " + file + " does not exist");
            }
            String actual = sha256(file);
            if (sha256 != null && !sha256.toLowerCase(Locale.ROOT).equals(actual)) {
                throw new IllegalArgumentException(
                        "the artifact's SHA-256 is " + actual + ", not the reported " + sha256);
            }
            artifact = file.toString();
            sha256 = actual;
        }
        Path extract = directory.resolve("extract.csv");
        String trainingData = Files.isRegularFile(extract) ? "sha256:" + sha256(extract) : null;
        Candidate registered = new Candidate(c.version(), artifact, sha256, c.metrics(), null);
        Files.createDirectories(candidates);
        // CREATE_NEW: of two runs reporting the same version at once, the second is refused, never overwrites
        Files.writeString(
                declaration,
                yaml(model, registered, trainingData, directory.getFileName().toString()),
                StandardOpenOption.CREATE_NEW);
        return registered.registeredAt(declaration.toString());
    }

    private String yaml(String model, Candidate c, @Nullable String trainingData, String run) {
        String provider = (model + "-" + c.version()).replaceAll("[^A-Za-z0-9-]", "-");
        boolean onnx = tabular && c.artifact().endsWith(".onnx");
        StringBuilder y = new StringBuilder()
                .append("# Candidate ")
                .append(model)
                .append(' ')
                .append(c.version())
                .append(", registered by retraining run ")
                .append(run)
                .append(". Not promoted.\n")
                .append("# Add the provider under `providers:` and the version under `models.")
                .append(model)
                .append(".versions:`,\n")
                .append("# then: airlock evaluate, a shadow, a canary, and promote through the readiness gate.\n");
        if (onnx) {
            y.append("providers:\n  ")
                    .append(provider)
                    .append(":\n    kind: onnx-tabular\n    path: ")
                    .append(quoted(c.artifact()))
                    .append('\n');
        }
        y.append("models:\n  ").append(model).append(":\n    versions:\n      ");
        y.append(quoted(c.version())).append(":\n");
        if (onnx) {
            y.append("        route: [{provider: ").append(provider).append("}]\n");
        }
        y.append("        artifact: ").append(quoted(c.artifact())).append('\n');
        if (c.sha256() != null) {
            y.append("        sha256: ").append(c.sha256()).append('\n');
        }
        if (trainingData != null) {
            y.append("        training_data: ").append(quoted(trainingData)).append('\n');
        }
        if (!c.metrics().isEmpty()) {
            y.append("        metrics: {");
            String sep = "";
            for (Map.Entry<String, Double> m : new TreeMap<>(c.metrics()).entrySet()) {
                y.append(sep).append(m.getKey()).append(": ").append(m.getValue());
                sep = ", ";
            }
            y.append("}\n");
        }
        y.append("        lineage: ").append(quoted("retraining run " + run)).append('\n');
        return y.toString();
    }

    private static String quoted(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static boolean hasScheme(String artifact) {
        try {
            URI uri = URI.create(artifact);
            return uri.getScheme() != null && uri.getScheme().length() > 1;
        } catch (IllegalArgumentException notAUri) {
            return false;
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
