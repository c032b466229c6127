package dev.airlock.server.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON as Airlock writes it: one pooled mapper, shared by the HTTP API, the CLI and audit publishing. */
public final class Json {
    // built once: a mapper is costly to make and to warm, and safe to share once configured
    private static final ObjectMapper SHARED = mapper();

    private Json() {}

    /**
     * A mapper whose buffers are pooled across threads. Jackson's default pool is per thread, which on virtual
     * threads (one per request) means fresh buffers for every request.
     */
    public static ObjectMapper mapper() {
        return new ObjectMapper(JsonFactory.builder()
                .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
                .build());
    }

    /** A JSON tree as bytes; our own trees always serialise, so failure is a bug, not an input error. */
    public static byte[] bytes(JsonNode node) {
        try {
            return SHARED.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }
}
