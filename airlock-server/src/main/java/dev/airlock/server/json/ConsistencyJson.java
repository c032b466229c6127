package dev.airlock.server.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.audit.ConsistencyProof;
import java.util.ArrayList;
import java.util.List;

/**
 * A consistency proof as JSON, the form {@code GET /v1/audit/consistency} and {@code airlock audit consistency} give
 * and {@code airlock audit check-consistency} reads. docs/audit.md describes how to check one without Airlock.
 */
public final class ConsistencyJson {
    private ConsistencyJson() {}

    public static ObjectNode render(ObjectMapper json, ConsistencyProof proof) {
        ObjectNode root = json.createObjectNode();
        root.put("format", "airlock.consistency-proof/1");
        ProofJson.checkpoint(root.putObject("older"), proof.older());
        ProofJson.signingKey(root.putObject("older_signing_key"), proof.olderKey());
        ProofJson.checkpoint(root.putObject("newer"), proof.newer());
        ProofJson.signingKey(root.putObject("newer_signing_key"), proof.newerKey());
        var path = root.putArray("path");
        proof.path().forEach(path::add);
        return root;
    }

    /**
     * Reads a proof.
     *
     * @throws IllegalArgumentException naming the field that is missing or malformed
     */
    public static ConsistencyProof read(JsonNode root) {
        List<String> path = new ArrayList<>();
        for (JsonNode node : ProofJson.required(root, "path")) {
            path.add(node.asText());
        }
        return new ConsistencyProof(
                ProofJson.checkpoint(ProofJson.required(root, "older")),
                ProofJson.signingKey(ProofJson.required(root, "older_signing_key")),
                ProofJson.checkpoint(ProofJson.required(root, "newer")),
                ProofJson.signingKey(ProofJson.required(root, "newer_signing_key")),
                path);
    }
}
