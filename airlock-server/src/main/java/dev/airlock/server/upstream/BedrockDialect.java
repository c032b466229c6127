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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.eventstream.MessageDecoder;

/**
 * AWS Bedrock's Converse API: {@code messages} of content blocks ({@code text}, {@code image}, {@code toolUse},
 * {@code toolResult}), {@code system}, {@code inferenceConfig}, {@code toolConfig}; ConverseStream's answer comes in
 * AWS's binary event-stream framing, read with the SDK's codec ({@code messageStart}, {@code contentBlockStart/Delta/
 * Stop}, {@code messageStop}, {@code metadata} with usage, and exceptions such as {@code throttlingException}).
 */
final class BedrockDialect implements Dialect {
    private static final ObjectMapper JSON = Json.mapper();

    /** Exceptions a stream may end with, for the HTTP status each stands for outside a stream. */
    private static final Map<String, Integer> STATUS_OF = Map.of(
            "validationException", 400,
            "accessDeniedException", 403,
            "resourceNotFoundException", 404,
            "modelTimeoutException", 408,
            "throttlingException", 429,
            "modelNotReadyException", 429,
            "internalServerException", 500,
            "modelStreamErrorException", 500,
            "serviceUnavailableException", 503);

    @Override
    public String path(String upstreamModel, boolean stream) {
        return "/model/"
                + URLEncoder.encode(upstreamModel, StandardCharsets.UTF_8).replace("+", "%20")
                + (stream ? "/converse-stream" : "/converse");
    }

    @Override
    public JsonNode body(String upstreamModel, Conversation c, boolean stream) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode messages = body.putArray("messages");
        for (Turn turn : c.turns()) {
            ObjectNode m = messages.addObject().put("role", turn.assistant() ? "assistant" : "user");
            ArrayNode content = m.putArray("content");
            for (Part part : turn.parts()) {
                ObjectNode block = block(part);
                if (block != null) {
                    content.add(block);
                }
            }
        }
        if (!c.system().isEmpty()) {
            body.putArray("system").addObject().put("text", c.system());
        }
        ObjectNode inference = JSON.createObjectNode();
        if (c.maxTokens() != null) {
            inference.put("maxTokens", c.maxTokens());
        }
        if (c.temperature() != null) {
            inference.put("temperature", c.temperature());
        }
        if (c.topP() != null) {
            inference.put("topP", c.topP());
        }
        if (!c.stop().isEmpty()) {
            ArrayNode stop = inference.putArray("stopSequences");
            c.stop().forEach(stop::add);
        }
        if (!inference.isEmpty()) {
            body.set("inferenceConfig", inference);
        }
        if (!c.tools().isEmpty()) {
            ObjectNode config = body.putObject("toolConfig");
            ArrayNode tools = config.putArray("tools");
            for (Conversation.Tool tool : c.tools()) {
                ObjectNode spec = tools.addObject().putObject("toolSpec").put("name", tool.name());
                if (tool.description() != null) {
                    spec.put("description", tool.description());
                }
                spec.putObject("inputSchema").set("json", tool.parameters());
            }
            var choice = c.toolChoice();
            if (choice != null) {
                switch (choice.mode()) {
                    case "required" -> config.putObject("toolChoice").putObject("any");
                    case "function" ->
                        config.putObject("toolChoice").putObject("tool").put("name", choice.function());
                    case "auto" -> config.putObject("toolChoice").putObject("auto");
                    default -> {} // Converse has no "none": the tools stay declared, the choice to the model
                }
            }
        }
        return body;
    }

    private static @Nullable ObjectNode block(Part part) {
        ObjectNode b = JSON.createObjectNode();
        switch (part) {
            case Text t -> b.put("text", t.text());
            case Image i -> {
                if (i.data() == null || i.mediaType() == null) {
                    return null; // Converse takes images inline only
                }
                String format = i.mediaType().substring(i.mediaType().indexOf('/') + 1);
                b.putObject("image").put("format", format).putObject("source").put("bytes", i.data());
            }
            case ToolUse u ->
                b.putObject("toolUse")
                        .put("toolUseId", u.id())
                        .put("name", u.name())
                        .set("input", u.input());
            case ToolResult r -> {
                ObjectNode result = b.putObject("toolResult").put("toolUseId", r.id());
                result.putArray("content").addObject().put("text", r.content());
            }
        }
        return b;
    }

    @Override
    public Reply reply(JsonNode answer, String upstreamModel) {
        JsonNode content = answer.path("output").path("message").path("content");
        if (!content.isArray()) {
            throw new IllegalArgumentException("an answer without 'output.message.content'");
        }
        StringBuilder text = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode block : content) {
            if (block.has("text")) {
                text.append(block.path("text").asText(""));
            } else if (block.has("toolUse")) {
                JsonNode use = block.path("toolUse");
                calls.add(new ToolCall(
                        use.path("toolUseId").asText(""),
                        use.path("name").asText(""),
                        OpenAiShape.write(use.path("input").isObject() ? use.path("input") : JSON.createObjectNode())));
            }
        }
        return new Reply(
                "chatcmpl-" + UUID.randomUUID(),
                upstreamModel,
                text.toString(),
                calls,
                finishReason(answer.path("stopReason").asText(null)),
                usage(answer.path("usage")));
    }

    static @Nullable String finishReason(@Nullable String stopReason) {
        if (stopReason == null) {
            return null;
        }
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> "tool_calls";
            case "guardrail_intervened", "content_filtered" -> "content_filter";
            default -> "stop";
        };
    }

    /** Prompt tokens as OpenAI counts them: those read from and written to the cache included. */
    private static Usage usage(JsonNode u) {
        if (!u.isObject()) {
            return Usage.NONE;
        }
        long cached = Math.max(0, u.path("cacheReadInputTokens").asLong(0));
        long input = u.path("inputTokens").asLong(0)
                + cached
                + u.path("cacheWriteInputTokens").asLong(0);
        return new Usage(Math.max(0, input), Math.max(0, u.path("outputTokens").asLong(0)), cached);
    }

    @Override
    public void relay(InputStream in, ChunkWriter out) throws IOException {
        List<Message> decoded = new ArrayList<>();
        var decoder = new MessageDecoder(decoded::add);
        Map<Integer, Integer> toolOf = new HashMap<>();
        byte[] buffer = new byte[8192];
        int read;
        while ((read = in.read(buffer)) >= 0) {
            try {
                decoder.feed(buffer, 0, read);
            } catch (RuntimeException e) {
                throw out.malformed("an event-stream frame that does not decode: " + e.getMessage());
            }
            for (Message message : decoded) {
                event(message, out, toolOf);
            }
            decoded.clear();
        }
        if (!out.finished()) {
            throw out.cut();
        }
    }

    private static void event(Message message, ChunkWriter out, Map<Integer, Integer> toolOf) {
        String messageType = header(message, ":message-type", "event");
        JsonNode payload;
        try {
            payload = message.getPayload().length == 0 ? JSON.createObjectNode() : JSON.readTree(message.getPayload());
        } catch (IOException e) {
            throw out.malformed(
                    "an event whose payload is not JSON: " + NativeChatProvider.snippet(message.getPayload()));
        }
        if (messageType.equals("exception")) {
            String type = header(message, ":exception-type", "internalServerException");
            throw out.failed(
                    STATUS_OF.getOrDefault(type, 500),
                    type + ": " + payload.path("message").asText(""));
        }
        if (messageType.equals("error")) {
            throw out.failed(
                    500, header(message, ":error-code", "error") + ": " + header(message, ":error-message", ""));
        }
        switch (header(message, ":event-type", "")) {
            case "contentBlockStart" -> {
                JsonNode use = payload.path("start").path("toolUse");
                if (use.isObject()) {
                    int index = out.toolStart(
                            use.path("toolUseId").asText(""), use.path("name").asText(""));
                    toolOf.put(payload.path("contentBlockIndex").asInt(), index);
                }
            }
            case "contentBlockDelta" -> {
                JsonNode delta = payload.path("delta");
                if (delta.has("text")) {
                    out.text(delta.path("text").asText(""));
                } else if (delta.has("toolUse")) {
                    Integer index = toolOf.get(payload.path("contentBlockIndex").asInt());
                    if (index != null) {
                        out.toolArguments(
                                index, delta.path("toolUse").path("input").asText(""));
                    }
                }
            }
            case "messageStop" -> {
                String reason = finishReason(payload.path("stopReason").asText(null));
                out.finish(reason == null ? "stop" : reason);
            }
            case "metadata" -> out.usage(usage(payload.path("usage")));
            default -> {} // contentBlockStop, and events added later
        }
    }

    private static String header(Message message, String name, String otherwise) {
        HeaderValue value = message.getHeaders().get(name);
        return value == null ? otherwise : value.getString();
    }

    @Override
    public String describeError(int status, byte[] body, @Nullable String errorType) {
        String type = errorType == null ? null : errorType.split(":", 2)[0];
        String message = null;
        try {
            JsonNode json = JSON.readTree(body);
            message = json.has("message")
                    ? json.path("message").asText()
                    : json.path("Message").asText(null);
            if (type == null && json.has("__type")) {
                String t = json.path("__type").asText();
                type = t.substring(t.lastIndexOf('#') + 1);
            }
        } catch (IOException notJson) {
            // quoted below
        }
        if (message == null) {
            message = NativeChatProvider.snippet(body);
        }
        return type == null ? message : type + ": " + message;
    }
}
