package dev.airlock.server.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.pipeline.DecisionDraft;
import dev.airlock.provider.AiAnswer;
import dev.airlock.provider.ChatResult;
import dev.airlock.provider.Prediction;
import dev.airlock.registry.ModelSpec;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Answers in the wire format a caller reads them in (OpenAI's for chat, Airlock's prediction object). The runtime
 * needs them without HTTP: a review holds the body the caller would have got, and releases that body.
 */
public final class AnswerBodies {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AnswerBodies() {}

    /** The body a caller gets for an answer, for answers held for review: chat completions and predictions. */
    public static @Nullable String answerBody(DecisionDraft draft, AiAnswer answer) {
        return switch (answer) {
            case ChatResult chat -> ChargedUsage.body(chat.body(), draft.usage(), draft.attempts());
            case Prediction p ->
                predictionBody(
                                draft.id(),
                                resolved(draft).name(),
                                resolved(draft).version(),
                                p)
                        .toString();
            default -> null;
        };
    }

    /** A prediction as the predict route answers it. */
    public static ObjectNode predictionBody(
            String decisionId, @Nullable String model, @Nullable String version, Prediction prediction) {
        ObjectNode root = JSON.createObjectNode();
        root.put("object", "prediction");
        root.put("decision_id", decisionId);
        root.put("model", model);
        root.put("model_version", version);
        root.put("prediction", prediction.label());
        ObjectNode probabilities = root.putObject("probabilities");
        prediction.probabilities().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> probabilities.put(e.getKey(), e.getValue()));
        ArrayNode contributions = root.putArray("contributions");
        for (Prediction.Contribution c : prediction.contributions()) {
            contributions
                    .addObject()
                    .put("feature", c.feature())
                    .put("value", c.value())
                    .put("contribution", c.contribution())
                    .put("reason_code", c.reasonCode());
        }
        ArrayNode reasons = root.putArray("reasons");
        prediction.reasons().forEach(reasons::add);
        return root;
    }

    /** The model a prediction was made by: a prediction exists only once its model was resolved. */
    private static ModelSpec resolved(DecisionDraft draft) {
        return Objects.requireNonNull(draft.spec(), "a prediction is made by a resolved model");
    }
}
