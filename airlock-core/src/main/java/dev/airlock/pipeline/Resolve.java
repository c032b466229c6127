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

    /** The version that answers this call and the one that gets a shadow copy; production only by default. */
    default Resolution route(String model, RequestKind kind) {
        return Resolution.production(resolve(model, kind));
    }

    /** The 404 for a model (or version) the caller may not name. */
    static Stop.Stopped notFound(String what) {
        return new Stop(
                        STAGE,
                        404,
                        "invalid_request_error",
                        "model_not_found",
                        "The model '" + Stop.echo(what) + "' does not exist or you do not have access to it.",
                        "model")
                .toException();
    }

    /** The 400 for a model of another kind than the call. */
    static Stop.Stopped wrongKind(String model, RequestKind served, RequestKind asked) {
        return new Stop(
                        STAGE,
                        400,
                        "invalid_request_error",
                        "model_kind_mismatch",
                        "The model '" + model + "' serves " + served.id() + " calls, not " + asked.id() + " calls.",
                        "model")
                .toException();
    }

    /** Resolves names straight from a catalog. */
    static Resolve from(ModelCatalog catalog) {
        return (model, kind) -> {
            ServedModel served = catalog.find(model).orElseThrow(() -> notFound(model));
            if (served.spec().kind() != kind) {
                throw wrongKind(model, served.spec().kind(), kind);
            }
            return served;
        };
    }
}
