package dev.airlock.registry;

import dev.airlock.decision.RequestKind;
import java.util.Objects;

/**
 * A model as the configuration declares it.
 *
 * @param name the name callers use
 * @param kind chat, embedding or predict
 * @param version the version that answers, recorded in every Decision
 * @param provider the name of the provider that serves it
 * @param upstreamModel the name the provider knows the model by
 * @param owner who answers for it (a person or team)
 * @param description what it is for
 * @param retention what its Decisions keep of input and output, and for how long
 */
public record ModelSpec(
        String name,
        RequestKind kind,
        String version,
        String provider,
        String upstreamModel,
        String owner,
        String description,
        Retention retention) {
    public ModelSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(provider, "provider");
        version = version == null || version.isBlank() ? "1" : version;
        upstreamModel = upstreamModel == null || upstreamModel.isBlank() ? name : upstreamModel;
        owner = owner == null ? "" : owner;
        description = description == null ? "" : description;
        retention = retention == null ? Retention.DIGESTS_ONLY : retention;
    }
}
