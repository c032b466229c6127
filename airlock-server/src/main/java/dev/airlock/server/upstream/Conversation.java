package dev.airlock.server.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.provider.ChatMessage;
import dev.airlock.provider.ChatRequest;
import dev.airlock.server.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An OpenAI chat request read into what every native protocol needs: the system text apart, user and assistant turns
 * of typed parts (text, image, tool use, tool result), consecutive turns of one role merged (the native APIs want
 * them alternating), the tools and the generation options. Fields no native protocol has an equivalent for are left
 * out (docs/providers.md lists them).
 *
 * @param system the system and developer messages' text, joined with blank lines; empty when there were none
 * @param maxTokens {@code max_completion_tokens} or {@code max_tokens}, or null
 * @param stop the stop sequences
 * @param toolChoice OpenAI's {@code tool_choice}, or null
 */
record Conversation(
        String system,
        List<Turn> turns,
        List<Tool> tools,
        @Nullable ToolChoice toolChoice,
        @Nullable Long maxTokens,
        @Nullable Double temperature,
        @Nullable Double topP,
        List<String> stop) {
    private static final ObjectMapper JSON = Json.mapper();

    /** One side's turn. */
    record Turn(boolean assistant, List<Part> parts) {}

    /** What a turn holds. */
    sealed interface Part {}

    record Text(String text) implements Part {}

    /** An image by URL, or inline when {@code data} (base64) and {@code mediaType} are set. */
    record Image(
            @Nullable String url,
            @Nullable String mediaType,
            @Nullable String data) implements Part {}

    /** The assistant calling a tool; {@code input} is the arguments as JSON (an object). */
    record ToolUse(String id, String name, JsonNode input) implements Part {}

    /** A tool's answer to the call {@code id} (of the tool {@code name}, which Gemini wants). */
    record ToolResult(String id, String name, String content) implements Part {}

    /** A function the model may call; {@code parameters} is its JSON Schema. */
    record Tool(String name, @Nullable String description, JsonNode parameters) {}

    /** auto, none, required, or one function by name. */
    record ToolChoice(String mode, @Nullable String function) {}

    static Conversation of(ChatRequest request) {
        StringBuilder system = new StringBuilder();
        List<Turn> turns = new ArrayList<>();
        Map<String, String> toolNames = new HashMap<>();
        for (ChatMessage m : request.messages()) {
            JsonNode fields = JSON.valueToTree(m.fields());
            switch (m.role()) {
                case "system", "developer" -> {
                    if (!system.isEmpty()) {
                        system.append("\n\n");
                    }
                    system.append(m.text());
                }
                case "assistant" -> add(turns, true, assistantParts(m, fields, toolNames));
                case "tool", "function" -> {
                    String id = fields.path("tool_call_id")
                            .asText(fields.path("name").asText(""));
                    String name = fields.path("name").asText(toolNames.getOrDefault(id, id));
                    add(turns, false, List.of(new ToolResult(id, name, m.text())));
                }
                default -> add(turns, false, userParts(m, fields));
            }
        }
        JsonNode options = JSON.valueToTree(request.options());
        return new Conversation(
                system.toString(),
                turns,
                tools(options.path("tools")),
                toolChoice(options.path("tool_choice")),
                longOrNull(
                        options.hasNonNull("max_completion_tokens")
                                ? options.path("max_completion_tokens")
                                : options.path("max_tokens")),
                doubleOrNull(options.path("temperature")),
                doubleOrNull(options.path("top_p")),
                stop(options.path("stop")));
    }

    /** Appends the parts to the last turn when it is the same side's, else as a new turn. */
    private static void add(List<Turn> turns, boolean assistant, List<Part> parts) {
        if (parts.isEmpty()) {
            return;
        }
        if (!turns.isEmpty() && turns.getLast().assistant() == assistant) {
            List<Part> merged = new ArrayList<>(turns.getLast().parts());
            merged.addAll(parts);
            turns.set(turns.size() - 1, new Turn(assistant, merged));
        } else {
            turns.add(new Turn(assistant, List.copyOf(parts)));
        }
    }

    private static List<Part> userParts(ChatMessage m, JsonNode fields) {
        JsonNode content = fields.path("content");
        if (!content.isArray()) {
            return List.of(new Text(m.text()));
        }
        List<Part> parts = new ArrayList<>();
        for (JsonNode part : content) {
            switch (part.path("type").asText("")) {
                case "text" -> parts.add(new Text(part.path("text").asText("")));
                case "image_url" ->
                    parts.add(image(part.path("image_url").path("url").asText("")));
                default -> {} // audio and files have no common equivalent
            }
        }
        return parts;
    }

    private static List<Part> assistantParts(ChatMessage m, JsonNode fields, Map<String, String> toolNames) {
        List<Part> parts = new ArrayList<>();
        if (!m.text().isEmpty()) {
            parts.add(new Text(m.text()));
        }
        for (JsonNode call : fields.path("tool_calls")) {
            String id = call.path("id").asText("");
            String name = call.path("function").path("name").asText("");
            toolNames.put(id, name);
            parts.add(new ToolUse(
                    id, name, arguments(call.path("function").path("arguments").asText("{}"))));
        }
        return parts;
    }

    /** A function call's arguments as an object; text that is not JSON is kept under {@code arguments}. */
    static JsonNode arguments(String text) {
        if (text.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode parsed = JSON.readTree(text);
            return parsed != null && parsed.isObject()
                    ? parsed
                    : JSON.createObjectNode().set("value", parsed);
        } catch (IOException e) {
            return JSON.createObjectNode().put("arguments", text);
        }
    }

    private static Image image(String url) {
        if (url.startsWith("data:") && url.contains(";base64,")) {
            String mediaType = url.substring(5, url.indexOf(';'));
            return new Image(null, mediaType, url.substring(url.indexOf(";base64,") + 8));
        }
        return new Image(url, null, null);
    }

    private static List<Tool> tools(JsonNode tools) {
        List<Tool> list = new ArrayList<>();
        for (JsonNode tool : tools) {
            JsonNode function = tool.path("function");
            if (!"function".equals(tool.path("type").asText("function")) || !function.has("name")) {
                continue;
            }
            JsonNode parameters = function.path("parameters");
            list.add(new Tool(
                    function.path("name").asText(),
                    function.hasNonNull("description")
                            ? function.path("description").asText()
                            : null,
                    parameters.isObject() ? parameters : JSON.createObjectNode().put("type", "object")));
        }
        return list;
    }

    private static @Nullable ToolChoice toolChoice(JsonNode choice) {
        if (choice.isTextual()) {
            return new ToolChoice(choice.asText(), null);
        }
        if (choice.isObject() && choice.path("function").has("name")) {
            return new ToolChoice(
                    "function", choice.path("function").path("name").asText());
        }
        return null;
    }

    private static List<String> stop(JsonNode stop) {
        if (stop.isTextual()) {
            return List.of(stop.asText());
        }
        List<String> list = new ArrayList<>();
        stop.forEach(s -> list.add(s.asText()));
        return list;
    }

    private static @Nullable Long longOrNull(JsonNode n) {
        return n.isNumber() ? n.asLong() : null;
    }

    private static @Nullable Double doubleOrNull(JsonNode n) {
        return n.isNumber() ? n.asDouble() : null;
    }

    /** A tool's text answer as the JSON object Gemini's {@code functionResponse} wants. */
    static JsonNode resultObject(String content) {
        try {
            JsonNode parsed = JSON.readTree(content);
            if (parsed != null && parsed.isObject()) {
                return parsed;
            }
        } catch (IOException notJson) {
            // kept as text below
        }
        return JSON.createObjectNode().put("content", content);
    }
}
