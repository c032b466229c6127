package dev.airlock.provider;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A tabular model's answer.
 *
 * @param label the predicted class
 * @param probabilities each class's probability
 * @param contributions each feature's push on the score of the positive class, largest magnitude first
 * @param reasons the features that pushed hardest towards the positive class, as reason codes, strongest first
 */
public record Prediction(
        String label, Map<String, Double> probabilities, List<Contribution> contributions, List<String> reasons)
        implements AiAnswer {
    public Prediction {
        probabilities = Map.copyOf(probabilities);
        contributions = List.copyOf(contributions);
        reasons = List.copyOf(reasons);
    }

    /**
     * How much one feature moved the positive class's log-odds away from the model's baseline.
     *
     * @param feature the feature's name
     * @param value the value used (after defaults for missing values), as a string
     * @param contribution the change in log-odds; positive pushes towards the positive class
     * @param reasonCode the stable code for adverse-action notices, e.g. {@code DEBT_RATIO_HIGH}
     */
    public record Contribution(
            String feature,
            String value,
            double contribution,
            @Nullable String reasonCode) {}
}
