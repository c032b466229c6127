package dev.airlock.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DeploymentStore} must do: the store on SQLite and PostgreSQL and {@link InMemoryDeploymentStore}
 * all pass it. A subclass hands out an empty one for each test.
 */
public abstract class DeploymentStoreContract {
    /** An empty deployment store that only the calling test uses. */
    protected abstract DeploymentStore deployments();

    @Test
    void deployments_roundTrip_andEachSaveKeepsItsChange() {
        Instant t0 = Instant.parse("2026-11-30T10:00:00.123456789Z");
        var first = new Deployment("support", "2", null, null, Map.of("staging", "3"), t0);
        deployments()
                .saveDeployment(
                        first, new DeploymentChange("c1", "support", t0, "key:op", "promoted", "1", "2", ""), null);
        var second = new Deployment("support", "2", new Deployment.Canary("3", 0.25), "4", Map.of(), t0.plusSeconds(1));
        deployments()
                .saveDeployment(
                        second,
                        new DeploymentChange(
                                "c2",
                                "support",
                                t0.plusSeconds(1),
                                "cli:ana",
                                "canary.started",
                                null,
                                "3",
                                "share 0.25"),
                        t0);

        assertThat(deployments().deployments()).containsExactly(second);
        assertThatThrownBy(() -> deployments()
                        .saveDeployment(
                                first,
                                new DeploymentChange(
                                        "c3", "support", t0.plusSeconds(2), "key:b", "promoted", "2", "3", ""),
                                t0))
                .as("made from a state another node has changed since")
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("changed meanwhile");
        assertThat(deployments().deploymentChanges("support")).hasSize(2);
        assertThat(deployments().deploymentChanges("support"))
                .extracting(DeploymentChange::action)
                .containsExactly("promoted", "canary.started");
        assertThat(deployments().deploymentChanges("support").getFirst().at()).isEqualTo(t0);
        assertThat(deployments().deploymentChanges("other")).isEmpty();
    }

    @Test
    void aFirstSave_ofAModelAlreadyDeployed_failsAsChangedMeanwhile() {
        Instant t0 = Instant.parse("2026-11-30T10:00:00Z");
        var first = new Deployment("support", "1", null, null, Map.of(), t0);
        deployments()
                .saveDeployment(
                        first, new DeploymentChange("c1", "support", t0, "key:a", "promoted", null, "1", ""), null);

        assertThatThrownBy(() -> deployments()
                        .saveDeployment(
                                new Deployment("support", "2", null, null, Map.of(), t0.plusSeconds(1)),
                                new DeploymentChange(
                                        "c2", "support", t0.plusSeconds(1), "key:b", "promoted", null, "2", ""),
                                null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("changed meanwhile");
        assertThat(deployments().deployments()).containsExactly(first);
        assertThat(deployments().deploymentChanges("support")).hasSize(1);
    }
}
