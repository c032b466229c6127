package dev.airlock.deploy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** Deployments in a map, for core tests; passes {@link DeploymentStoreContract}. */
public final class InMemoryDeploymentStore implements DeploymentStore {
    private final Map<String, Deployment> deployments = new TreeMap<>();
    private final List<DeploymentChange> changes = new ArrayList<>();

    @Override
    public synchronized List<Deployment> deployments() {
        return List.copyOf(deployments.values());
    }

    @Override
    public synchronized void saveDeployment(Deployment deployment, DeploymentChange change, Instant expectedUpdatedAt) {
        Deployment current = deployments.get(deployment.model());
        boolean fresh = expectedUpdatedAt == null
                ? current == null
                : current != null && Objects.equals(current.updatedAt(), expectedUpdatedAt);
        if (!fresh) {
            throw new IllegalStateException("the deployment of " + deployment.model() + " was changed meanwhile by"
                    + " another node or command; read it again and retry");
        }
        deployments.put(deployment.model(), deployment);
        changes.add(change);
    }

    @Override
    public synchronized List<DeploymentChange> deploymentChanges(String model) {
        return changes.stream()
                .filter(c -> c.model().equals(model))
                .sorted(Comparator.comparing(DeploymentChange::at).thenComparing(DeploymentChange::id))
                .toList();
    }
}
