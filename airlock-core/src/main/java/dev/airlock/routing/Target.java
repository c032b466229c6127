package dev.airlock.routing;

import dev.airlock.provider.Provider;
import java.time.LocalDate;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One place a model's calls can go: a provider, the model name it knows, what it costs and how long it lives.
 *
 * @param provider the provider's configured name
 * @param instance the provider
 * @param upstreamModel the model name sent to the provider
 * @param weight share of first attempts when the route splits traffic; 0 for a fallback-only target
 * @param price what the provider charges for this model, or null when unpriced (cost is then not recorded)
 * @param trust where data goes: {@code on-premises}, {@code in-region} or {@code external}
 * @param deprecatedOn from this day calls still go here but warn, or null
 * @param retiresOn from this day the target is skipped and calls go to the next one, or null
 */
public record Target(
        String provider,
        Provider instance,
        String upstreamModel,
        int weight,
        @Nullable Price price,
        String trust,
        @Nullable LocalDate deprecatedOn,
        @Nullable LocalDate retiresOn) {
    public Target {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(upstreamModel, "upstreamModel");
        if (weight < 0) {
            throw new IllegalArgumentException("weight must not be negative: " + weight);
        }
        trust = trust == null ? "external" : trust;
    }

    /** A single-target route to a provider, unpriced. */
    public static Target of(String provider, Provider instance, String upstreamModel) {
        return new Target(provider, instance, upstreamModel, 0, null, "external", null, null);
    }

    public Target withWeight(int value) {
        return new Target(provider, instance, upstreamModel, value, price, trust, deprecatedOn, retiresOn);
    }

    public boolean retiredOn(LocalDate day) {
        return retiresOn != null && !day.isBefore(retiresOn);
    }

    public boolean deprecatedOn(LocalDate day) {
        return deprecatedOn != null && !day.isBefore(deprecatedOn);
    }

    @Override
    public String toString() {
        return provider + "/" + upstreamModel;
    }
}
