package dev.airlock.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.deploy.ServedVersions;
import dev.airlock.deploy.ServingNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The {@code serving_nodes} table: one row per node, replaced at each heartbeat. */
final class ServingNodeTable implements ServedVersions {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, List<String>>> VERSIONS = new TypeReference<>() {};

    private final Database database;

    ServingNodeTable(Database database) {
        this.database = database;
    }

    @Override
    public void publishServed(ServingNode node) {
        database.writes()
                .useHandle(handle -> handle.createUpdate("INSERT INTO serving_nodes (node, versions, heartbeat_at,"
                                + " airlock_version) VALUES (:node, :versions, :at, :build) ON CONFLICT (node) DO"
                                + " UPDATE SET versions = excluded.versions, heartbeat_at = excluded.heartbeat_at,"
                                + " airlock_version = excluded.airlock_version")
                        .bind("node", node.node())
                        .bind("versions", JsonColumns.write(node.versions()))
                        .bind("at", EpochNanos.nanos(node.heartbeatAt(), "heartbeatAt"))
                        .bind("build", node.airlockVersion())
                        .execute());
    }

    @Override
    public void withdrawNode(String node) {
        database.writes()
                .useHandle(handle -> handle.createUpdate("DELETE FROM serving_nodes WHERE node = :node")
                        .bind("node", node)
                        .execute());
    }

    @Override
    public List<ServingNode> nodesSeenSince(Instant since) {
        return database.reads()
                .withHandle(handle -> handle.createQuery(
                                "SELECT * FROM serving_nodes WHERE heartbeat_at >= :since ORDER BY node")
                        .bind("since", EpochNanos.nanos(since, "since"))
                        .map((rs, ctx) -> new ServingNode(
                                rs.getString("node"),
                                versions(rs.getString("versions")),
                                EpochNanos.required(rs, "heartbeat_at"),
                                rs.getString("airlock_version")))
                        .list());
    }

    private static Map<String, List<String>> versions(String json) {
        try {
            return JSON.readValue(json, VERSIONS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored versions are not a JSON object of lists: " + json, e);
        }
    }
}
