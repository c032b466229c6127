package dev.airlock.pipeline;

import dev.airlock.decision.RequestKind;
import dev.airlock.decision.Stop;
import dev.airlock.registry.ModelCatalog;
import dev.airlock.registry.ServedModel;

/** Stage 3: finds the model version and provider that will answer. */
public interface Resolve {
    String STAGE = "resolve";

    /**
     * @throws dev.airlock.decision.Stop.Stopped with 404 for an unknown model, 400 for a model of another kind
     */
    ServedModel resolve(String model, RequestKind kind);

    /** Resolves names straight from a catalog. */
    static Resolve from(ModelCatalog catalog) {
        return (model, kind) -> {
            ServedModel served = catalog.find(model)
                    .orElseThrow(() -> new Stop(
                                    STAGE,
                                    404,
                                    "invalid_request_error",
                                    "model_not_found",
                                    "The model '" + model + "' does not exist or you do not have access to it.",
                                    "model")
                            .toException());
            if (served.spec().kind() != kind) {
                throw new Stop(
                                STAGE,
                                400,
                                "invalid_request_error",
                                "model_kind_mismatch",
                                "The model '" + model + "' serves "
                                        + served.spec().kind().id() + " calls, not " + kind.id() + " calls.",
                                "model")
                        .toException();
            }
            return served;
        };
    }
}
