package dev.airlock.registry;

import dev.airlock.decision.RequestKind;
import dev.airlock.provider.ChatProvider;
import dev.airlock.provider.EmbeddingProvider;
import dev.airlock.provider.Provider;
import dev.airlock.provider.TabularModel;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The models this node serves, by name. Immutable; a new configuration builds a new catalog. */
public final class ModelCatalog {
    private final Map<String, ServedModel> models;

    private ModelCatalog(Map<String, ServedModel> models) {
        this.models = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(models));
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optional<ServedModel> find(String name) {
        return Optional.ofNullable(models.get(name));
    }

    /** Every model, in the order the configuration declares them. */
    public Collection<ServedModel> all() {
        return models.values();
    }

    /** Whether a provider can serve calls of a kind. */
    public static boolean serves(Provider provider, RequestKind kind) {
        return switch (kind) {
            case CHAT -> provider instanceof ChatProvider;
            case EMBEDDING -> provider instanceof EmbeddingProvider;
            case PREDICT -> provider instanceof TabularModel;
        };
    }

    /** Collects models, checking each as it is added. */
    public static final class Builder {
        private final Map<String, ServedModel> models = new LinkedHashMap<>();

        public Builder add(ModelSpec spec, Provider provider) {
            return add(new ServedModel(spec, provider));
        }

        public Builder add(ServedModel model) {
            ModelSpec spec = model.spec();
            if (models.containsKey(spec.name())) {
                throw new IllegalArgumentException("model '" + spec.name() + "' is declared twice");
            }
            for (var target : model.targets()) {
                if (!serves(target.instance(), spec.kind())) {
                    throw new IllegalArgumentException("model '" + spec.name() + "': provider '" + target.provider()
                            + "' cannot serve " + spec.kind().id() + " calls");
                }
            }
            models.put(spec.name(), model);
            return this;
        }

        public ModelCatalog build() {
            return new ModelCatalog(models);
        }
    }
}
