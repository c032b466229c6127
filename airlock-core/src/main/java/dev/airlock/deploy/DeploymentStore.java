package dev.airlock.deploy;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Where deployments and their history are kept, shared by every node. */
public interface DeploymentStore {
    /** Every model's deployment that was ever changed. */
    List<Deployment> deployments();

    /**
     * Saves a model's deployment and the change that made it, in one transaction, if the stored deployment is still
     * the one the change was made from ({@code expectedUpdatedAt}: its {@code updatedAt}, null when none is stored).
     *
     * @throws IllegalStateException when another node or command changed it meanwhile
     */
    void saveDeployment(Deployment deployment, DeploymentChange change, @Nullable Instant expectedUpdatedAt);

    /** A model's deployment changes, oldest first. */
    List<DeploymentChange> deploymentChanges(String model);
}
