package dev.airlock.deploy;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Which versions of a model serve traffic: production, a canary taking a share of it, a shadow receiving a copy,
 * and named aliases ({@code staging}, {@code champion}, ...) that callers can pin with {@code model@alias}.
 *
 * @param model the model's name
 * @param production the version that answers production traffic
 * @param canary the version taking a share of production traffic, or null
 * @param shadow the version receiving a copy of production traffic whose answers are compared and never returned, or
 *     null
 * @param aliases other names for versions, e.g. {@code staging -> 2026-11}
 * @param updatedAt when it last changed; null for a model never deployed (its declared default serves)
 */
public record Deployment(
        String model,
        String production,
        @Nullable Canary canary,
        @Nullable String shadow,
        Map<String, String> aliases,
        @Nullable Instant updatedAt) {

    /** The alias that always names the production version. */
    public static final String PRODUCTION = "production";

    public Deployment {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(production, "production");
        aliases = Collections.unmodifiableMap(new TreeMap<>(aliases == null ? Map.of() : aliases));
    }

    /**
     * A version taking a share of production traffic.
     *
     * @param version the new version
     * @param share the fraction of calls it answers, in (0, 1)
     */
    public record Canary(String version, double share) {
        public Canary {
            Objects.requireNonNull(version, "version");
            if (!(share > 0 && share < 1)) {
                throw new IllegalArgumentException(
                        "a canary's share must be between 0 and 1 (exclusive), not " + share);
            }
        }
    }

    /** The version an alias names: {@code production}, {@code canary}, {@code shadow} or a declared alias. */
    public @Nullable String versionOf(String alias) {
        return switch (alias) {
            case PRODUCTION -> production;
            case "canary" -> canary == null ? null : canary.version();
            case "shadow" -> shadow;
            default -> aliases.get(alias);
        };
    }

    Deployment withProduction(String version, Instant at) {
        return new Deployment(model, version, canary, shadow, aliases, at);
    }

    Deployment withCanary(@Nullable Canary value, Instant at) {
        return new Deployment(model, production, value, shadow, aliases, at);
    }

    Deployment withShadow(@Nullable String version, Instant at) {
        return new Deployment(model, production, canary, version, aliases, at);
    }

    Deployment withAlias(String alias, @Nullable String version, Instant at) {
        Map<String, String> next = new TreeMap<>(aliases);
        if (version == null) {
            next.remove(alias);
        } else {
            next.put(alias, version);
        }
        return new Deployment(model, production, canary, shadow, next, at);
    }
}
