package dev.airlock.deploy;

import dev.airlock.decision.RequestKind;
import dev.airlock.pipeline.Resolution;
import dev.airlock.pipeline.Resolve;
import dev.airlock.registry.ModelCatalog;
import dev.airlock.registry.ServedModel;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Resolve by deployment: a model's name reaches its production version, or its canary for the canary's share of
 * calls; {@code model@alias} or {@code model@version} pins a version (for staging checks and comparisons).
 */
final class DeploymentResolver implements Resolve {
    private final ModelCatalog catalog;
    private final Deployments deployments;
    private final NodeServing serving;
    private final DoubleSupplier random;

    DeploymentResolver(ModelCatalog catalog, Deployments deployments, NodeServing serving) {
        this(catalog, deployments, serving, () -> ThreadLocalRandom.current().nextDouble());
    }

    DeploymentResolver(ModelCatalog catalog, Deployments deployments, NodeServing serving, DoubleSupplier random) {
        this.catalog = catalog;
        this.deployments = deployments;
        this.serving = serving;
        this.random = random;
    }

    @Override
    public ServedModel resolve(String model, RequestKind kind) {
        return route(model, kind).served();
    }

    @Override
    public Resolution route(String requested, RequestKind kind) {
        int at = requested.indexOf('@');
        String model = at < 0 ? requested : requested.substring(0, at);
        ServedModel declared = catalog.find(model).orElseThrow(() -> Resolve.notFound(requested));
        if (declared.spec().kind() != kind) {
            throw Resolve.wrongKind(model, declared.spec().kind(), kind);
        }
        Deployment d = deployments.current(model);
        if (at >= 0) {
            String name = requested.substring(at + 1);
            String version = d.versionOf(name);
            ServedModel pinned = catalog.find(model, version != null ? version : name)
                    .orElseThrow(() -> Resolve.notFound(requested));
            return new Resolution(pinned, Resolution.PINNED, null);
        }
        // a version this node cannot serve is skipped (canary, shadow) or replaced by the one served before
        ServedModel shadow = serving.shadow(d);
        ServedModel canary = serving.canary(d);
        if (canary != null
                && d.canary() != null
                && random.getAsDouble() < d.canary().share()) {
            return new Resolution(canary, Resolution.CANARY, shadow);
        }
        return new Resolution(serving.production(d), Resolution.PRODUCTION, shadow);
    }
}
