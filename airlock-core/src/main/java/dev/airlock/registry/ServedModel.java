package dev.airlock.registry;

import dev.airlock.provider.Provider;
import java.util.Objects;

/** A declared model together with the provider instance that serves it. */
public record ServedModel(ModelSpec spec, Provider provider) {
    public ServedModel {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(provider, "provider");
    }
}
