package dev.airlock.deploy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Deployments kept in memory, with the store's optimistic check, for fast unit tests of the use cases. */
final class InMemoryDeploymentStore implements DeploymentStore {
    private final Map<String, Deployment> deployments = new LinkedHashMap<>();
    private final List<DeploymentChange> changes = new ArrayList<>();

    @Override
    public synchronized List<Deployment> deployments() {
        return List.copyOf(deployments.values());
    }

    @Override
    public synchronized void saveDeployment(Deployment deployment, DeploymentChange change, Instant expectedUpdatedAt) {
        Deployment stored = deployments.get(deployment.model());
        if (!Objects.equals(stored == null ? null : stored.updatedAt(), expectedUpdatedAt)) {
            throw new IllegalStateException(deployment.model() + " was changed meanwhile; try again");
        }
        deployments.put(deployment.model(), deployment);
        changes.add(change);
    }

    @Override
    public synchronized List<DeploymentChange> deploymentChanges(String model) {
        return changes.stream().filter(c -> c.model().equals(model)).toList();
    }
}
