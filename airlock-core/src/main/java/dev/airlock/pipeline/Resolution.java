package dev.airlock.pipeline;

import dev.airlock.registry.ServedModel;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What resolve decided: the version that answers, why that one, and the version that gets a shadow copy.
 *
 * @param served the version that answers
 * @param route {@code production}, {@code canary}, or {@code pinned} when the caller named a version or alias
 * @param shadow the version that receives a copy of the call (its answer is compared, never returned), or null
 */
public record Resolution(
        ServedModel served, String route, @Nullable ServedModel shadow) {
    public static final String PRODUCTION = "production";
    public static final String CANARY = "canary";
    public static final String PINNED = "pinned";
    public static final String SHADOW = "shadow";

    public Resolution {
        Objects.requireNonNull(served, "served");
        Objects.requireNonNull(route, "route");
    }

    public static Resolution production(ServedModel served) {
        return new Resolution(served, PRODUCTION, null);
    }
}
