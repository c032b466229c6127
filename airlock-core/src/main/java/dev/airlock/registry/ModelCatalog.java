package dev.airlock.registry;

import dev.airlock.decision.RequestKind;
import dev.airlock.provider.ChatProvider;
import dev.airlock.provider.EmbeddingProvider;
import dev.airlock.provider.Provider;
import dev.airlock.provider.TabularModel;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The models this node serves, by name, each with its versions. The version declared first is the model's default:
 * it serves production until a deployment promotes another. Immutable; a new configuration builds a new catalog.
 */
public final class ModelCatalog {
    private final Map<String, ServedModel> models;
    private final Map<String, Map<String, ServedModel>> versions;

    private ModelCatalog(Map<String, ServedModel> models, Map<String, Map<String, ServedModel>> versions) {
        this.models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
        Map<String, Map<String, ServedModel>> copy = new LinkedHashMap<>();
        versions.forEach(
                (name, byVersion) -> copy.put(name, Collections.unmodifiableMap(new LinkedHashMap<>(byVersion))));
        this.versions = Collections.unmodifiableMap(copy);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optional<ServedModel> find(String name) {
        return Optional.ofNullable(models.get(name));
    }

    /** The model a call names, without the {@code @alias} or {@code @version} that pins a version. */
    public static String baseName(String requested) {
        int at = requested == null ? -1 : requested.indexOf('@');
        return at < 0 ? requested : requested.substring(0, at);
    }

    /** One version of a model. */
    public Optional<ServedModel> find(String name, String version) {
        return Optional.ofNullable(versions.getOrDefault(name, Map.of()).get(version));
    }

    /** A model's versions, the default first, then in declared order; empty for an unknown model. */
    public Map<String, ServedModel> versions(String name) {
        return versions.getOrDefault(name, Map.of());
    }

    /** Every model's default version, in the order the configuration declares them. */
    public Collection<ServedModel> all() {
        return models.values();
    }

    /** Whether a provider can serve calls of a kind. */
    public static boolean serves(Provider provider, RequestKind kind) {
        return switch (kind) {
            case CHAT -> provider instanceof ChatProvider;
            case EMBEDDING -> provider instanceof EmbeddingProvider;
            case PREDICT -> provider instanceof TabularModel;
            case TOOL -> false;
        };
    }

    /** Collects models, checking each as it is added. */
    public static final class Builder {
        private final Map<String, ServedModel> models = new LinkedHashMap<>();
        private final Map<String, Map<String, ServedModel>> versions = new LinkedHashMap<>();

        public Builder add(ModelSpec spec, Provider provider) {
            return add(new ServedModel(spec, provider));
        }

        /** Adds a model with {@code model} as its default version. */
        public Builder add(ServedModel model) {
            ModelSpec spec = model.spec();
            if (models.containsKey(spec.name())) {
                throw new IllegalArgumentException("model '" + spec.name() + "' is declared twice");
            }
            check(model);
            models.put(spec.name(), model);
            versions.computeIfAbsent(spec.name(), n -> new LinkedHashMap<>()).put(spec.version(), model);
            return this;
        }

        /** Adds another version of a model added before. */
        public Builder addVersion(ServedModel model) {
            ModelSpec spec = model.spec();
            Map<String, ServedModel> known = versions.get(spec.name());
            if (known == null) {
                throw new IllegalArgumentException("model '" + spec.name() + "' must be added before its versions");
            }
            if (known.containsKey(spec.version())) {
                throw new IllegalArgumentException(
                        "model '" + spec.name() + "': version '" + spec.version() + "' is declared twice");
            }
            if (known.values().iterator().next().spec().kind() != spec.kind()) {
                throw new IllegalArgumentException("model '" + spec.name() + "': version '" + spec.version()
                        + "' serves " + spec.kind().id() + " calls, unlike the model's other versions");
            }
            check(model);
            known.put(spec.version(), model);
            return this;
        }

        private static void check(ServedModel model) {
            ModelSpec spec = model.spec();
            for (var target : model.targets()) {
                if (!serves(target.instance(), spec.kind())) {
                    throw new IllegalArgumentException("model '" + spec.name() + "': provider '" + target.provider()
                            + "' cannot serve " + spec.kind().id() + " calls");
                }
            }
        }

        public ModelCatalog build() {
            return new ModelCatalog(models, versions);
        }
    }
}
