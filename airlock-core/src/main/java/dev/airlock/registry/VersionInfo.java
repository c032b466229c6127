package dev.airlock.registry;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What the registry knows about one model version besides its route: where its artifact is and what it hashes to,
 * what it was trained on and how it scored. Every field is optional; a version served by an external API often has
 * none of them.
 *
 * @param artifact where the artifact is (a path or URI), or null
 * @param sha256 the artifact's SHA-256 (64 hex digits), or null
 * @param framework what it was built with, e.g. {@code onnx}, {@code sklearn}, {@code openai}
 * @param trainingData the version of the training data: its content hash
 * @param metrics evaluation metrics by name, e.g. {@code auc: 0.81}
 * @param lineage the training run that produced it
 * @param tags free labels
 * @param inputSchema the schema of its input (a path, URI or inline JSON Schema)
 * @param outputSchema the schema of its output
 * @param prompt the prompt its chat calls use ({@code name@version} or {@code name@label}) unless a call names one;
 *     null for none
 * @param policies the policies its calls are judged by ({@code name@version} or {@code name@label})
 */
public record VersionInfo(
        @Nullable String artifact,
        @Nullable String sha256,
        @Nullable String framework,
        @Nullable String trainingData,
        Map<String, Double> metrics,
        @Nullable String lineage,
        List<String> tags,
        @Nullable String inputSchema,
        @Nullable String outputSchema,
        @Nullable String prompt,
        List<String> policies) {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** Nothing known. */
    public static final VersionInfo NONE =
            new VersionInfo(null, null, null, null, Map.of(), null, List.of(), null, null, null, List.of());

    public VersionInfo {
        if (sha256 != null && !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits, not '" + sha256 + "'");
        }
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        tags = tags == null ? List.of() : List.copyOf(tags);
        policies = policies == null ? List.of() : List.copyOf(policies);
    }
}
