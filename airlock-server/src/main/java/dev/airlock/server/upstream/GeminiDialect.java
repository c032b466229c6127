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
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Google's Gemini API: {@code contents} of user and model turns, {@code systemInstruction}, {@code
 * functionDeclarations} for OpenAI's tools, {@code functionCall}/{@code functionResponse} parts for tool calls and
 * results, {@code usageMetadata}, and {@code streamGenerateContent?alt=sse}, whose events are whole partial answers.
 */
final class GeminiDialect implements Dialect {
    private static final ObjectMapper JSON = Json.mapper();
    private static final Set<String> FILTERED =
            Set.of("SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY");

    @Override
    public String path(String upstreamModel, boolean stream) {
        String model = upstreamModel.startsWith("models/") ? upstreamModel.substring(7) : upstreamModel;
        String encoded = URLEncoder.encode(model, StandardCharsets.UTF_8);
        return "/models/" + encoded + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
    }

    @Override
    public JsonNode body(String upstreamModel, Conversation c, boolean stream) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode contents = body.putArray("contents");
        for (Turn turn : c.turns()) {
            ObjectNode content = contents.addObject().put("role", turn.assistant() ? "model" : "user");
            ArrayNode parts = content.putArray("parts");
            turn.parts().forEach(p -> parts.add(part(p)));
        }
        if (!c.system().isEmpty()) {
            body.putObject("systemInstruction").putArray("parts").addObject().put("text", c.system());
        }
        if (!c.tools().isEmpty()) {
            ArrayNode declarations = body.putArray("tools").addObject().putArray("functionDeclarations");
            for (Conversation.Tool tool : c.tools()) {
                ObjectNode d = declarations.addObject().put("name", tool.name());
                if (tool.description() != null) {
                    d.put("description", tool.description());
                }
                d.set("parameters", tool.parameters());
            }
        }
        var choice = c.toolChoice();
        if (choice != null) {
            ObjectNode config = body.putObject("toolConfig").putObject("functionCallingConfig");
            switch (choice.mode()) {
                case "none" -> config.put("mode", "NONE");
                case "required" -> config.put("mode", "ANY");
                case "function" ->
                    config.put("mode", "ANY").putArray("allowedFunctionNames").add(choice.function());
                default -> config.put("mode", "AUTO");
            }
        }
        ObjectNode generation = JSON.createObjectNode();
        if (c.maxTokens() != null) {
            generation.put("maxOutputTokens", c.maxTokens());
        }
        if (c.temperature() != null) {
            generation.put("temperature", c.temperature());
        }
        if (c.topP() != null) {
            generation.put("topP", c.topP());
        }
        if (!c.stop().isEmpty()) {
            ArrayNode stop = generation.putArray("stopSequences");
            c.stop().forEach(stop::add);
        }
        if (!generation.isEmpty()) {
            body.set("generationConfig", generation);
        }
        return body;
    }

    private static ObjectNode part(Part part) {
        ObjectNode p = JSON.createObjectNode();
        switch (part) {
            case Text t -> p.put("text", t.text());
            case Image i -> {
                if (i.data() != null) {
                    p.putObject("inlineData").put("mimeType", i.mediaType()).put("data", i.data());
                } else {
                    p.putObject("fileData").put("fileUri", i.url());
                }
            }
            case ToolUse u -> p.putObject("functionCall").put("name", u.name()).set("args", u.input());
            case ToolResult r ->
                p.putObject("functionResponse")
                        .put("name", r.name())
                        .set("response", Conversation.resultObject(r.content()));
        }
        return p;
    }

    @Override
    public Reply reply(JsonNode answer, String upstreamModel) {
        JsonNode candidates = answer.path("candidates");
        if (!candidates.isArray() && !answer.has("promptFeedback")) {
            throw new IllegalArgumentException("an answer without 'candidates'");
        }
        JsonNode candidate = candidates.path(0);
        StringBuilder text = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode part : candidate.path("content").path("parts")) {
            if (part.path("thought").asBoolean(false)) {
                continue; // thought summaries are not the answer
            }
            if (part.has("text")) {
                text.append(part.path("text").asText(""));
            } else if (part.has("functionCall")) {
                calls.add(call(part.path("functionCall"), calls.size()));
            }
        }
        String finish = candidates.isEmpty() || candidates.isMissingNode()
                ? "content_filter" // the prompt itself was blocked (promptFeedback.blockReason)
                : finishReason(candidate.path("finishReason").asText(null), !calls.isEmpty());
        return new Reply(
                "chatcmpl-" + answer.path("responseId").asText("gemini"),
                answer.path("modelVersion").asText(upstreamModel),
                text.toString(),
                calls,
                finish,
                usage(answer.path("usageMetadata")));
    }

    private static ToolCall call(JsonNode functionCall, int index) {
        String name = functionCall.path("name").asText("");
        String id = functionCall.hasNonNull("id") ? functionCall.path("id").asText() : "call_" + index + "_" + name;
        JsonNode args = functionCall.path("args");
        return new ToolCall(id, name, OpenAiShape.write(args.isObject() ? args : JSON.createObjectNode()));
    }

    static @Nullable String finishReason(@Nullable String reason, boolean calledTools) {
        if (reason == null || reason.equals("FINISH_REASON_UNSPECIFIED")) {
            return null;
        }
        if (reason.equals("MAX_TOKENS")) {
            return "length";
        }
        if (FILTERED.contains(reason)) {
            return "content_filter";
        }
        return calledTools ? "tool_calls" : "stop";
    }

    /** Output counts the thinking tokens too: Google bills them as output. */
    private static Usage usage(JsonNode u) {
        if (!u.isObject()) {
            return Usage.NONE;
        }
        return new Usage(
                Math.max(
                        0,
                        u.path("promptTokenCount").asLong(0)
                                + u.path("toolUsePromptTokenCount").asLong(0)),
                Math.max(
                        0,
                        u.path("candidatesTokenCount").asLong(0)
                                + u.path("thoughtsTokenCount").asLong(0)),
                Math.max(0, u.path("cachedContentTokenCount").asLong(0)));
    }

    @Override
    public void relay(InputStream in, ChunkWriter out) throws IOException {
        var events = new SseReader(in);
        int calls = 0;
        SseReader.Event event;
        while ((event = events.next()) != null) {
            JsonNode data;
            try {
                data = JSON.readTree(event.data());
            } catch (IOException e) {
                throw out.malformed("a stream event that is not JSON: "
                        + NativeChatProvider.snippet(event.data().getBytes(StandardCharsets.UTF_8)));
            }
            if (data.has("error")) {
                JsonNode error = data.path("error");
                throw out.failed(error.path("code").asInt(500), describe(error));
            }
            out.named(
                    data.path("responseId").asText(null),
                    data.path("modelVersion").asText(null));
            JsonNode candidate = data.path("candidates").path(0);
            for (JsonNode part : candidate.path("content").path("parts")) {
                if (part.path("thought").asBoolean(false)) {
                    continue;
                }
                if (part.has("text")) {
                    out.text(part.path("text").asText(""));
                } else if (part.has("functionCall")) {
                    ToolCall call = call(part.path("functionCall"), calls++);
                    out.toolArguments(out.toolStart(call.id(), call.name()), call.arguments());
                }
            }
            if (data.has("usageMetadata")) {
                out.usage(usage(data.path("usageMetadata")));
            }
            String finish = finishReason(candidate.path("finishReason").asText(null), calls > 0);
            if (finish != null) {
                out.finish(finish);
            }
        }
        if (!out.finished()) {
            throw out.cut(); // Gemini's stream has no end marker: an answer without a finish reason was cut short
        }
    }

    @Override
    public String describeError(int status, byte[] body, @Nullable String errorType) {
        try {
            JsonNode json = JSON.readTree(body);
            JsonNode error = (json.isArray() ? json.path(0) : json).path("error");
            if (error.has("message")) {
                return describe(error);
            }
        } catch (IOException notJson) {
            // quoted below
        }
        return NativeChatProvider.snippet(body);
    }

    private static String describe(JsonNode error) {
        return error.path("status").asText("ERROR") + ": "
                + error.path("message").asText("");
    }
}
