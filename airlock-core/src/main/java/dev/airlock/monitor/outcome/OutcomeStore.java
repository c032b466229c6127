package dev.airlock.monitor.outcome;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** Port: kept predictions with their labels, and feedback. SQLite, PostgreSQL and an in-memory one pass one suite. */
public interface OutcomeStore {
    /**
     * Keeps a prediction, unlabelled.
     *
     * @throws IllegalStateException if one is already kept for its Decision
     */
    void keep(KeptPrediction prediction);

    /** The prediction a Decision made, with its label if it has one. */
    Optional<KeptPrediction> findPrediction(String decisionId);

    /**
     * Sets the true outcome of a kept prediction, replacing any earlier one.
     *
     * @return the label it had before, or null when it had none
     * @throws java.util.NoSuchElementException if no prediction is kept for the Decision
     */
    @Nullable
    String setLabel(String decisionId, String label, Instant at);

    /**
     * Every prediction of a model made in {@code [from, to)}, labelled or not, oldest first.
     *
     * @param version one version only, or null for all
     */
    void forEachPrediction(
            String model, @Nullable String version, Instant from, Instant to, Consumer<KeptPrediction> visitor);

    /** Records feedback. */
    void recordFeedback(Feedback feedback);

    /** The feedback given on a Decision, oldest first. */
    List<Feedback> feedback(String decisionId);
}
