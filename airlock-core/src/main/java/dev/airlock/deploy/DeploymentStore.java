package dev.airlock.deploy;

import java.util.List;

/** Where deployments and their history are kept, shared by every node. */
public interface DeploymentStore {
    /** Every model's deployment that was ever changed. */
    List<Deployment> deployments();

    /** Saves a model's deployment and the change that made it, in one transaction. */
    void saveDeployment(Deployment deployment, DeploymentChange change);

    /** A model's deployment changes, oldest first. */
    List<DeploymentChange> deploymentChanges(String model);
}
