package dev.airlock.server.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.audit.Checkpoint;
import dev.airlock.audit.InclusionProof;
import dev.airlock.audit.SigningKey;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * An inclusion proof as JSON, the form {@code GET /v1/decisions/{id}} returns and {@code airlock audit check-proof}
 * reads. docs/audit.md describes each field and how to check one without Airlock.
 */
public final class ProofJson {
    private ProofJson() {}

    public static ObjectNode render(ObjectMapper json, InclusionProof proof) {
        ObjectNode root = json.createObjectNode();
        root.put("format", "airlock.inclusion-proof/1");
        root.put("record_id", proof.recordId());
        root.put("seq", proof.seq());
        root.put("leaf_index", proof.seq() - 1);
        root.put("canonical", proof.canonical());
        root.put("leaf_hash", proof.leafHash());
        ArrayNode path = root.putArray("path");
        proof.path().forEach(path::add);
        checkpoint(root.putObject("checkpoint"), proof.checkpoint());
        signingKey(root.putObject("signing_key"), proof.signingKey());
        return root;
    }

    public static void checkpoint(ObjectNode into, Checkpoint c) {
        into.put("tree_size", c.treeSize())
                .put("root", c.root())
                .put("head", c.head())
                .put("signed_at", c.signedAt().toString())
                .put("key_id", c.keyId())
                .put("signature", c.signature());
        if (c.previous() != null) {
            into.put("previous", c.previous()); // signed with it (airlock.checkpoint/2)
        }
    }

    static void signingKey(ObjectNode into, SigningKey key) {
        into.put("key_id", key.keyId()).put("algorithm", "Ed25519").put("public_key", key.publicKey());
    }

    public static Checkpoint checkpoint(JsonNode c) {
        return new Checkpoint(
                number(c, "tree_size"),
                text(c, "root"),
                text(c, "head"),
                instant(c, "signed_at"),
                text(c, "key_id"),
                text(c, "signature"),
                c.hasNonNull("previous") ? number(c, "previous") : null);
    }

    static SigningKey signingKey(JsonNode key) {
        return new SigningKey(text(key, "key_id"), text(key, "public_key"), Instant.EPOCH, null);
    }

    /**
     * Reads a proof; either the proof object itself or a Decision document carrying it under {@code audit.proof}.
     *
     * @throws IllegalArgumentException naming the field that is missing or malformed
     */
    public static InclusionProof read(JsonNode document) {
        JsonNode root = document.path("audit").path("proof").isObject()
                ? document.path("audit").path("proof")
                : document;
        JsonNode c = root.path("checkpoint");
        List<String> path = new ArrayList<>();
        for (JsonNode node : required(root, "path")) {
            path.add(node.asText());
        }
        return new InclusionProof(
                text(root, "record_id"),
                number(root, "seq"),
                text(root, "canonical"),
                text(root, "leaf_hash"),
                path,
                checkpoint(c),
                signingKey(root.path("signing_key")));
    }

    static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("the proof has no '" + field + "'");
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        return required(node, field).asText();
    }

    private static long number(JsonNode node, String field) {
        JsonNode value = required(node, field);
        if (!value.canConvertToLong()) {
            throw new IllegalArgumentException("the proof's '" + field + "' is not a whole number");
        }
        return value.asLong();
    }

    private static Instant instant(JsonNode node, String field) {
        try {
            return Instant.parse(text(node, field));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("the proof's '" + field + "' is not an ISO-8601 instant");
        }
    }
}
