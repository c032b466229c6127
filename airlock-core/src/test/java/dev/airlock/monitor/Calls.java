package dev.airlock.monitor;

import dev.airlock.decision.Decision;
import dev.airlock.decision.Outcome;
import dev.airlock.decision.RequestKind;
import dev.airlock.decision.Usage;
import dev.airlock.provider.PredictRequest;
import dev.airlock.provider.Prediction;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Decisions and answers of predict calls, as the observe stage hands them to a watcher. */
final class Calls {
    private Calls() {}

    static Decision decision(String model, String version, Instant at) {
        return new Decision(
                "d-" + at.toEpochMilli(),
                at,
                null,
                RequestKind.PREDICT,
                model,
                version,
                "onnx",
                model,
                false,
                new Outcome.Answered(),
                Usage.NONE,
                null,
                100,
                50,
                null,
                null,
                List.of(),
                List.of(),
                null);
    }

    static PredictRequest request(String model, Map<String, Object> features) {
        return new PredictRequest(model, features);
    }

    static Prediction prediction(String label, double positive) {
        return new Prediction(label, Map.of("default", positive, "repay", 1 - positive), List.of(), List.of());
    }
}
