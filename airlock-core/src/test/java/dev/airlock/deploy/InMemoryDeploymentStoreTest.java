package dev.airlock.deploy;

class InMemoryDeploymentStoreTest extends DeploymentStoreContract {
    private final InMemoryDeploymentStore deployments = new InMemoryDeploymentStore();

    @Override
    protected DeploymentStore deployments() {
        return deployments;
    }
}
