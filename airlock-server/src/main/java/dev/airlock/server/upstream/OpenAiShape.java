package dev.airlock.server.upstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.decision.Usage;
import dev.airlock.server.json.Json;
import java.io.UncheckedIOException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * OpenAI's chat completion and chunk JSON, written for answers that arrived by another protocol: whatever kind
 * answered, the caller reads the one shape its client speaks.
 */
final class OpenAiShape {
    private static final ObjectMapper JSON = Json.mapper();

    private OpenAiShape() {}

    /** A function call in the answer; {@code arguments} is JSON text, as OpenAI sends it. */
    record ToolCall(String id, String name, String arguments) {}

    /**
     * A whole answer read from a native protocol.
     *
     * @param finishReason OpenAI's: stop, length, tool_calls or content_filter
     */
    record Reply(
            String id,
            String model,
            String text,
            List<ToolCall> toolCalls,
            @Nullable String finishReason,
            Usage usage) {
        Reply {
            toolCalls = List.copyOf(toolCalls);
        }
    }

    static String completion(Reply reply, long created) {
        ObjectNode root = JSON.createObjectNode()
                .put("id", reply.id())
                .put("object", "chat.completion")
                .put("created", created)
                .put("model", reply.model());
        ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        if (reply.text().isEmpty() && !reply.toolCalls().isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", reply.text());
        }
        if (!reply.toolCalls().isEmpty()) {
            ArrayNode calls = message.putArray("tool_calls");
            for (ToolCall call : reply.toolCalls()) {
                ObjectNode c = calls.addObject().put("id", call.id()).put("type", "function");
                c.putObject("function").put("name", call.name()).put("arguments", call.arguments());
            }
        }
        choice.put("finish_reason", reply.finishReason());
        root.set("usage", usage(reply.usage()));
        return write(root);
    }

    /** One chunk of a stream, with one choice carrying {@code delta}. */
    static ObjectNode chunk(String id, String model, long created, ObjectNode delta, @Nullable String finishReason) {
        ObjectNode root = base(id, model, created);
        ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        choice.put("finish_reason", finishReason);
        return root;
    }

    /** The last chunk of a stream whose caller asked for usage: no choices, the usage. */
    static ObjectNode usageChunk(String id, String model, long created, Usage usage) {
        ObjectNode root = base(id, model, created);
        root.putArray("choices");
        root.set("usage", usage(usage));
        return root;
    }

    private static ObjectNode base(String id, String model, long created) {
        return JSON.createObjectNode()
                .put("id", id)
                .put("object", "chat.completion.chunk")
                .put("created", created)
                .put("model", model);
    }

    static ObjectNode usage(Usage usage) {
        ObjectNode u = JSON.createObjectNode()
                .put("prompt_tokens", usage.inputTokens())
                .put("completion_tokens", usage.outputTokens())
                .put("total_tokens", usage.totalTokens());
        if (usage.cachedInputTokens() > 0) {
            u.putObject("prompt_tokens_details").put("cached_tokens", usage.cachedInputTokens());
        }
        return u;
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    static String write(Object json) {
        try {
            return JSON.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
