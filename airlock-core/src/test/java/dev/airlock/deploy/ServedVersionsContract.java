package dev.airlock.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ServedVersions} must do: the store on SQLite and PostgreSQL and {@link InMemoryServedVersions}
 * all pass it. A subclass hands out an empty one for each test.
 */
public abstract class ServedVersionsContract {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00.123456789Z");

    /** An empty registry of serving nodes that only the calling test uses. */
    protected abstract ServedVersions served();

    @Test
    void aPublishedNode_readsBackWithItsVersionsPerModel_andHeartbeatExactly() {
        var node = new ServingNode(
                "node-a",
                Map.of("loan-risk", List.of("1.0.0", "1.1.0"), "support", List.of("2")),
                T0,
                "0.1.0 (abc123)");
        served().publishServed(node);

        assertThat(served().nodesSeenSince(T0)).containsExactly(node);
        assertThat(served().nodesSeenSince(T0).getFirst().serves("loan-risk", "1.1.0"))
                .isTrue();
        assertThat(served().nodesSeenSince(T0).getFirst().serves("loan-risk", "2"))
                .isFalse();
    }

    @Test
    void publishingAgain_replacesWhatTheNodeServed() {
        served().publishServed(new ServingNode("node-a", Map.of("loan-risk", List.of("1.0.0")), T0, null));
        var later = new ServingNode("node-a", Map.of("loan-risk", List.of("1.1.0")), T0.plusSeconds(10), null);
        served().publishServed(later);

        assertThat(served().nodesSeenSince(T0)).containsExactly(later);
    }

    @Test
    void nodesWhoseHeartbeatIsOlder_thanSince_areNotLive() {
        served().publishServed(new ServingNode("node-old", Map.of("m", List.of("1")), T0, null));
        var fresh = new ServingNode("node-new", Map.of("m", List.of("2")), T0.plusSeconds(40), null);
        served().publishServed(fresh);

        assertThat(served().nodesSeenSince(T0.plusSeconds(5))).containsExactly(fresh);
        assertThat(served().nodesSeenSince(T0)).extracting(ServingNode::node).containsExactly("node-new", "node-old");
    }

    @Test
    void aWithdrawnNode_isGone_andWithdrawingAnUnknownOneDoesNothing() {
        served().publishServed(new ServingNode("node-a", Map.of("m", List.of("1")), T0, null));
        served().withdrawNode("node-a");
        served().withdrawNode("never-published");

        assertThat(served().nodesSeenSince(T0.minusSeconds(60))).isEmpty();
    }

    @Test
    void aNodeServingNoModel_isStillLive() {
        var idle = new ServingNode("node-idle", Map.of(), T0, null);
        served().publishServed(idle);

        assertThat(served().nodesSeenSince(T0)).containsExactly(idle);
    }
}
