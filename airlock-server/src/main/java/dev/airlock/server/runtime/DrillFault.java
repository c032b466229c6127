package dev.airlock.server.runtime;

import dev.airlock.provider.PredictRequest;
import dev.airlock.provider.Prediction;
import dev.airlock.provider.ProviderException;
import dev.airlock.provider.TabularModel;
import org.jspecify.annotations.Nullable;

/**
 * A fallback drill's fault switch for an in-process model: every call fails as if the model were unavailable (a
 * failure the route falls back on, as it does for an unreachable upstream), so the drill sees whether the route's
 * next target answers. An HTTP upstream is made to fail by pointing it at a local
 * server that answers 503; an in-process model has no wire to cut, so the drill's scratch node wraps it in this.
 * It is built only by {@link AirlockRuntime#startForDrill}, never from configuration, so no serving node can have it.
 */
final class DrillFault implements TabularModel, AutoCloseable {
    private final TabularModel model;

    DrillFault(TabularModel model) {
        this.model = model;
    }

    @Override
    public String name() {
        return model.name();
    }

    @Override
    public @Nullable String version() {
        return model.version();
    }

    @Override
    public Prediction predict(PredictRequest request) {
        throw new ProviderException(
                ProviderException.Kind.UNREACHABLE,
                "fallback drill: in-process model '" + model.name() + "' made to fail on the drill's scratch node",
                null);
    }

    @Override
    public void close() throws Exception {
        if (model instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
