package dev.airlock.registry;

import dev.airlock.provider.Provider;
import dev.airlock.routing.RoutePolicy;
import dev.airlock.routing.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A declared model with its route: the targets its calls may go to, in fallback order, and how hard to try.
 *
 * @param spec the model as declared
 * @param targets where calls go: the first (or one picked by weight) first, the rest in order as fallbacks
 * @param policy retries, backoff and deadline
 * @param cache the model's answer cache, or null when it does not cache
 * @param info what the registry knows of this version: artifact, training data, metrics
 */
public record ServedModel(
        ModelSpec spec,
        List<Target> targets,
        RoutePolicy policy,
        @Nullable CachePolicy cache,
        VersionInfo info) {
    public ServedModel {
        Objects.requireNonNull(spec, "spec");
        targets = List.copyOf(targets);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("model '" + spec.name() + "' has no target");
        }
        policy = policy == null ? RoutePolicy.DEFAULT : policy;
        info = info == null ? VersionInfo.NONE : info;
    }

    public ServedModel(ModelSpec spec, List<Target> targets, RoutePolicy policy, @Nullable CachePolicy cache) {
        this(spec, targets, policy, cache, VersionInfo.NONE);
    }

    /** A model served by one provider under its own name for it, with the default policy. */
    public ServedModel(ModelSpec spec, Provider provider) {
        this(spec, List.of(Target.of(spec.provider(), provider, spec.upstreamModel())), RoutePolicy.DEFAULT, null);
    }

    /** The primary provider (the first target). */
    public Provider provider() {
        return targets.getFirst().instance();
    }

    /**
     * The order to try targets in: when targets carry weights, one of them is drawn by weight ({@code random} in
     * [0, 1)) and goes first; the others follow in declared order.
     */
    public List<Target> attemptOrder(double random) {
        int total = targets.stream().mapToInt(Target::weight).sum();
        if (total == 0) {
            return targets;
        }
        double pick = random * total;
        Target first = null;
        for (Target t : targets) {
            pick -= t.weight();
            if (t.weight() > 0 && pick < 0) {
                first = t;
                break;
            }
        }
        if (first == null) {
            first = targets.stream()
                    .filter(t -> t.weight() > 0)
                    .reduce((a, b) -> b)
                    .orElseThrow();
        }
        List<Target> order = new ArrayList<>(targets.size());
        order.add(first);
        for (Target t : targets) {
            if (t != first) {
                order.add(t);
            }
        }
        return order;
    }
}
