package dev.airlock.server.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.decision.Usage;
import dev.airlock.server.json.Json;
import dev.airlock.server.upstream.Conversation.Image;
import dev.airlock.server.upstream.Conversation.Part;
import dev.airlock.server.upstream.Conversation.Text;
import dev.airlock.server.upstream.Conversation.ToolResult;
import dev.airlock.server.upstream.Conversation.ToolUse;
import dev.airlock.server.upstream.Conversation.Turn;
import dev.airlock.server.upstream.OpenAiShape.Reply;
import dev.airlock.server.upstream.OpenAiShape.ToolCall;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Anthropic's Messages API: the system text as a top-level field, content blocks, {@code tool_use} and {@code
 * tool_result} blocks for OpenAI's tool calls, and the streaming events {@code message_start}, {@code
 * content_block_start/delta/stop}, {@code message_delta} (stop reason, output usage), {@code message_stop}, {@code
 * ping} and {@code error}.
 */
final class AnthropicDialect implements Dialect {
    private static final ObjectMapper JSON = Json.mapper();

    /** Error types as the API names them, for the status they stand for inside a stream. */
    private static final Map<String, Integer> STATUS_OF = Map.of(
            "invalid_request_error", 400,
            "authentication_error", 401,
            "permission_error", 403,
            "not_found_error", 404,
            "request_too_large", 413,
            "rate_limit_error", 429,
            "api_error", 500,
            "overloaded_error", 529);

    private final long defaultMaxTokens;

    AnthropicDialect(long defaultMaxTokens) {
        this.defaultMaxTokens = defaultMaxTokens;
    }

    @Override
    public String path(String upstreamModel, boolean stream) {
        return "/v1/messages";
    }

    @Override
    public JsonNode body(String upstreamModel, Conversation c, boolean stream) {
        ObjectNode body = JSON.createObjectNode().put("model", upstreamModel);
        body.put("max_tokens", c.maxTokens() != null ? c.maxTokens() : defaultMaxTokens);
        if (!c.system().isEmpty()) {
            body.put("system", c.system());
        }
        ArrayNode messages = body.putArray("messages");
        for (Turn turn : c.turns()) {
            ObjectNode m = messages.addObject().put("role", turn.assistant() ? "assistant" : "user");
            ArrayNode content = m.putArray("content");
            turn.parts().forEach(part -> content.add(block(part)));
        }
        if (c.temperature() != null) {
            body.put("temperature", c.temperature());
        }
        if (c.topP() != null) {
            body.put("top_p", c.topP());
        }
        if (!c.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop_sequences");
            c.stop().forEach(stop::add);
        }
        if (!c.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (Conversation.Tool tool : c.tools()) {
                ObjectNode t = tools.addObject().put("name", tool.name());
                if (tool.description() != null) {
                    t.put("description", tool.description());
                }
                t.set("input_schema", tool.parameters());
            }
        }
        var choice = c.toolChoice();
        if (choice != null) {
            switch (choice.mode()) {
                case "none" -> body.putObject("tool_choice").put("type", "none");
                case "required" -> body.putObject("tool_choice").put("type", "any");
                case "function" ->
                    body.putObject("tool_choice").put("type", "tool").put("name", choice.function());
                default -> body.putObject("tool_choice").put("type", "auto");
            }
        }
        if (stream) {
            body.put("stream", true);
        }
        return body;
    }

    private static ObjectNode block(Part part) {
        ObjectNode b = JSON.createObjectNode();
        switch (part) {
            case Text t -> b.put("type", "text").put("text", t.text());
            case Image i -> {
                ObjectNode source = b.put("type", "image").putObject("source");
                if (i.data() != null) {
                    source.put("type", "base64")
                            .put("media_type", i.mediaType())
                            .put("data", i.data());
                } else {
                    source.put("type", "url").put("url", i.url());
                }
            }
            case ToolUse u ->
                b.put("type", "tool_use")
                        .put("id", u.id())
                        .put("name", u.name())
                        .set("input", u.input());
            case ToolResult r ->
                b.put("type", "tool_result").put("tool_use_id", r.id()).put("content", r.content());
        }
        return b;
    }

    @Override
    public Reply reply(JsonNode answer, String upstreamModel) {
        if (!answer.path("content").isArray()) {
            throw new IllegalArgumentException("a message without 'content'");
        }
        StringBuilder text = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode block : answer.path("content")) {
            switch (block.path("type").asText("")) {
                case "text" -> text.append(block.path("text").asText(""));
                case "tool_use" ->
                    calls.add(new ToolCall(
                            block.path("id").asText(""),
                            block.path("name").asText(""),
                            OpenAiShape.write(
                                    block.path("input").isMissingNode()
                                            ? JSON.createObjectNode()
                                            : block.path("input"))));
                default -> {} // thinking and other blocks have no OpenAI equivalent
            }
        }
        return new Reply(
                "chatcmpl-" + answer.path("id").asText("anthropic"),
                answer.path("model").asText(upstreamModel),
                text.toString(),
                calls,
                finishReason(answer.path("stop_reason").asText(null)),
                usage(answer.path("usage"), Usage.NONE));
    }

    /** Anthropic's stop reason in OpenAI's words. */
    static @Nullable String finishReason(@Nullable String stopReason) {
        if (stopReason == null) {
            return null;
        }
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> "tool_calls";
            case "refusal" -> "content_filter";
            default -> "stop"; // end_turn, stop_sequence, pause_turn
        };
    }

    /**
     * Usage as OpenAI counts it: prompt tokens include those read from and written to the cache. A stream reports
     * input in {@code message_start} and output in {@code message_delta}: fields absent keep {@code before}'s.
     */
    private static Usage usage(JsonNode u, Usage before) {
        if (!u.isObject()) {
            return before;
        }
        long cached = u.path("cache_read_input_tokens").asLong(0);
        long input = u.has("input_tokens")
                ? u.path("input_tokens").asLong(0)
                        + cached
                        + u.path("cache_creation_input_tokens").asLong(0)
                : before.inputTokens();
        long output = u.has("output_tokens") ? u.path("output_tokens").asLong(0) : before.outputTokens();
        return new Usage(
                Math.max(0, input),
                Math.max(0, output),
                Math.max(0, u.has("input_tokens") ? cached : before.cachedInputTokens()));
    }

    @Override
    public void relay(InputStream in, ChunkWriter out) throws IOException {
        var events = new SseReader(in);
        Map<Integer, Integer> toolOf = new HashMap<>();
        SseReader.Event event;
        while ((event = events.next()) != null) {
            JsonNode data;
            try {
                data = JSON.readTree(event.data());
            } catch (IOException e) {
                throw out.malformed("a stream event that is not JSON: "
                        + NativeChatProvider.snippet(event.data().getBytes(StandardCharsets.UTF_8)));
            }
            String type = data.path("type").asText(event.name() == null ? "" : event.name());
            switch (type) {
                case "message_start" -> {
                    JsonNode message = data.path("message");
                    out.named(
                            message.path("id").asText(null),
                            message.path("model").asText(null));
                    out.usage(usage(message.path("usage"), out.usage()));
                }
                case "content_block_start" -> {
                    JsonNode block = data.path("content_block");
                    if ("tool_use".equals(block.path("type").asText())) {
                        int index = out.toolStart(
                                block.path("id").asText(""), block.path("name").asText(""));
                        toolOf.put(data.path("index").asInt(), index);
                    } else if ("text".equals(block.path("type").asText())) {
                        out.text(block.path("text").asText(""));
                    }
                }
                case "content_block_delta" -> {
                    JsonNode delta = data.path("delta");
                    switch (delta.path("type").asText("")) {
                        case "text_delta" -> out.text(delta.path("text").asText(""));
                        case "input_json_delta" -> {
                            Integer index = toolOf.get(data.path("index").asInt());
                            if (index != null) {
                                out.toolArguments(
                                        index, delta.path("partial_json").asText(""));
                            }
                        }
                        default -> {} // thinking and signature deltas have no OpenAI equivalent
                    }
                }
                case "message_delta" -> {
                    out.usage(usage(data.path("usage"), out.usage()));
                    String reason =
                            finishReason(data.path("delta").path("stop_reason").asText(null));
                    if (reason != null) {
                        out.finish(reason);
                    }
                }
                case "message_stop" -> {
                    return;
                }
                case "error" -> {
                    JsonNode error = data.path("error");
                    String errorType = error.path("type").asText("api_error");
                    throw out.failed(
                            STATUS_OF.getOrDefault(errorType, 500),
                            errorType + ": " + error.path("message").asText(""));
                }
                default -> {} // ping, content_block_stop, and events added later
            }
        }
        throw out.cut();
    }

    @Override
    public String describeError(int status, byte[] body, @Nullable String errorType) {
        try {
            JsonNode error = JSON.readTree(body).path("error");
            if (error.has("message")) {
                return error.path("type").asText("error") + ": "
                        + error.path("message").asText();
            }
        } catch (IOException notJson) {
            // quoted below
        }
        return NativeChatProvider.snippet(body);
    }
}
