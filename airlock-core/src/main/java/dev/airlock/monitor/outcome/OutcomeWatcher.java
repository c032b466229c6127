package dev.airlock.monitor.outcome;

import dev.airlock.decision.Decision;
import dev.airlock.decision.RequestKind;
import dev.airlock.pipeline.Observe;
import dev.airlock.provider.AiAnswer;
import dev.airlock.provider.AiRequest;
import dev.airlock.provider.PredictRequest;
import dev.airlock.provider.Prediction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Keeps what each answered prediction said (predicted class, positive-class probability, monitored attributes), so a
 * label posted later can be joined to it. One insert on the caller's thread, after the Decision is durable and before
 * the caller gets the Decision id: a label can never arrive for a prediction not yet kept (a node that stops between
 * the two writes leaves a Decision without a kept prediction; labelling it is refused as {@code not_a_prediction}).
 * Shadow copies are kept under their own Decision ids.
 *
 * <pre>{@code
 * Observe watcher = new OutcomeWatcher(store.outcomeStore(), model -> Watched.DEFAULT);
 * }</pre>
 */
public final class OutcomeWatcher implements Observe {
    private final OutcomeStore store;
    private final Function<String, Watched> watched;

    /** @param watched what to keep per model (never null: {@link Watched#DEFAULT} for models with nothing declared) */
    public OutcomeWatcher(OutcomeStore store, Function<String, Watched> watched) {
        this.store = store;
        this.watched = watched;
    }

    @Override
    public void observe(Decision decision, AiRequest request, @Nullable AiAnswer answer) {
        if (decision.kind() != RequestKind.PREDICT
                || !(answer instanceof Prediction prediction)
                || !(request instanceof PredictRequest predict)
                || decision.principal() == null
                || decision.model() == null
                || decision.modelVersion() == null) {
            return;
        }
        store.keep(kept(decision, predict, prediction, watched.apply(decision.model())));
    }

    static KeptPrediction kept(Decision decision, PredictRequest request, Prediction prediction, Watched watched) {
        List<String> classes = new ArrayList<>(prediction.probabilities().keySet());
        classes.sort(null);
        String positive = watched.positiveClass() != null
                ? watched.positiveClass()
                : classes.isEmpty() ? prediction.label() : classes.getFirst();
        Map<String, String> attributes = new HashMap<>();
        for (String name : watched.attributes()) {
            Object value = request.features().get(name);
            if (value != null) {
                attributes.put(name, String.valueOf(value).strip());
            }
        }
        return new KeptPrediction(
                decision.id(),
                Objects.requireNonNull(decision.principal(), "checked above").tenant(),
                Objects.requireNonNull(decision.model(), "checked above"),
                Objects.requireNonNull(decision.modelVersion(), "checked above"),
                decision.startedAt(),
                prediction.label(),
                classes,
                positive,
                prediction.probabilities().getOrDefault(positive, 0.0),
                attributes,
                null,
                null);
    }
}
