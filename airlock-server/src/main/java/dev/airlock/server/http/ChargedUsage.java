package dev.airlock.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.decision.Usage;
import dev.airlock.server.json.Json;
import java.util.List;

/**
 * The {@code usage} a caller bills from must be what it is charged. When an answer took several upstream calls (the
 * model's answer and its repairs), the upstream's body counts only the last one: its {@code usage} is replaced by the
 * total the Decision records, and {@code x_airlock_attempts} lists each call's tokens (also counted in the
 * {@code x-airlock-attempts} header).
 */
final class ChargedUsage {
    static final String HEADER = "x-airlock-attempts";

    private ChargedUsage() {}

    /** How many upstream calls made the answer. */
    static int attempts(List<Usage> attempts) {
        return Math.max(1, attempts.size());
    }

    /** The body to send: the upstream's own when one call made the answer, else with the total usage. */
    static String body(String upstreamBody, Usage total, List<Usage> attempts) {
        if (attempts.size() < 2 || upstreamBody == null) {
            return upstreamBody;
        }
        JsonNode parsed;
        try {
            parsed = Json.mapper().readTree(upstreamBody);
        } catch (Exception notJson) {
            return upstreamBody;
        }
        if (!(parsed instanceof ObjectNode root)) {
            return upstreamBody;
        }
        ObjectNode usage = root.withObjectProperty("usage");
        write(usage, total);
        ArrayNode each = root.putArray("x_airlock_attempts");
        attempts.forEach(u -> write(each.addObject(), u));
        return root.toString();
    }

    private static void write(ObjectNode usage, Usage u) {
        usage.put("prompt_tokens", u.inputTokens())
                .put("completion_tokens", u.outputTokens())
                .put("total_tokens", u.totalTokens());
        if (u.cachedInputTokens() > 0 || usage.has("prompt_tokens_details")) {
            usage.withObjectProperty("prompt_tokens_details").put("cached_tokens", u.cachedInputTokens());
        }
    }
}
