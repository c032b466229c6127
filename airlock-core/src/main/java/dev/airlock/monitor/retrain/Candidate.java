package dev.airlock.monitor.retrain;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The version a retraining run produced, as its trainer reported it.
 *
 * @param version the new version's name, e.g. {@code 1.2.0}
 * @param artifact where its artifact is (a path, relative to the run's directory, or a URI)
 * @param sha256 the artifact's SHA-256 (hex), checked against the file when the artifact is local
 * @param metrics evaluation metrics by name, as the trainer measured them
 * @param registration where Airlock wrote the version's declaration (the configuration fragment), once registered
 */
public record Candidate(
        String version,
        String artifact,
        @Nullable String sha256,
        Map<String, Double> metrics,
        @Nullable String registration) {
    public Candidate {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(artifact, "artifact");
        if (version.isBlank()) {
            throw new IllegalArgumentException("candidate_version is blank");
        }
        metrics = Map.copyOf(metrics);
    }

    /** This candidate, registered at {@code where}. */
    public Candidate registeredAt(String where) {
        return new Candidate(version, artifact, sha256, metrics, where);
    }
}
