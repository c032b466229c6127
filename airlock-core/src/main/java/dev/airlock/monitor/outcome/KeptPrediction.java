package dev.airlock.monitor.outcome;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one answered prediction said, kept whatever the model's content retention, so that its true outcome can be
 * joined to it later: no features except the model's declared monitored attributes.
 *
 * @param decisionId the Decision that made it
 * @param tenant whose call it was; only this tenant may label it
 * @param model the model
 * @param modelVersion the version that answered
 * @param at when the call arrived (the Decision's start)
 * @param predicted the predicted class
 * @param classes every class the model gave a probability for, sorted: the labels it may get
 * @param positiveClass the class whose probability is kept
 * @param positiveProbability that probability
 * @param attributes the monitored attributes' values as received (a missing one is absent)
 * @param label the true outcome, once known
 * @param labelledAt when it was last set
 */
public record KeptPrediction(
        String decisionId,
        String tenant,
        String model,
        String modelVersion,
        Instant at,
        String predicted,
        List<String> classes,
        String positiveClass,
        double positiveProbability,
        Map<String, String> attributes,
        @Nullable String label,
        @Nullable Instant labelledAt) {
    public KeptPrediction {
        Objects.requireNonNull(decisionId, "decisionId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(modelVersion, "modelVersion");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(predicted, "predicted");
        Objects.requireNonNull(positiveClass, "positiveClass");
        classes = List.copyOf(classes);
        attributes = Map.copyOf(attributes);
    }

    /** This prediction with its true outcome. */
    public KeptPrediction labelled(String newLabel, Instant when) {
        return new KeptPrediction(
                decisionId,
                tenant,
                model,
                modelVersion,
                at,
                predicted,
                classes,
                positiveClass,
                positiveProbability,
                attributes,
                newLabel,
                when);
    }

    public boolean isLabelled() {
        return label != null;
    }

    /** Whether the prediction matched the label; false while unlabelled. */
    public boolean correct() {
        return predicted.equals(label);
    }

    /** Whether the true outcome is the positive class; false while unlabelled. */
    public boolean actuallyPositive() {
        return positiveClass.equals(label);
    }

    public boolean predictedPositive() {
        return positiveClass.equals(predicted);
    }
}
