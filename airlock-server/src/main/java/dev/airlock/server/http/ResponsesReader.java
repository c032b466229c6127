package dev.airlock.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.decision.Stop;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads a Responses API request ({@code POST /v1/responses}) and says it in chat terms: the input items become chat
 * messages, function tools become chat tools, {@code text.format} becomes {@code response_format}. Refuses what it
 * cannot translate with a 400 naming the field, rather than dropping it silently.
 */
final class ResponsesReader {
    private static final String STAGE = "parse";
    private static final Set<String> ROLES = Set.of("user", "system", "developer", "assistant");
    /** Accepted and only echoed in the response (or without effect here). */
    private static final Set<String> ECHOED = Set.of(
            "metadata",
            "truncation",
            "reasoning",
            "include",
            "service_tier",
            "safety_identifier",
            "prompt_cache_key",
            "stream_options",
            "top_logprobs");

    private static final Set<String> READ = Set.of(
            "model",
            "input",
            "instructions",
            "tools",
            "tool_choice",
            "temperature",
            "top_p",
            "max_output_tokens",
            "parallel_tool_calls",
            "user",
            "store",
            "stream",
            "previous_response_id",
            "text",
            "background");

    /**
     * A Responses call in chat terms.
     *
     * @param model the model asked for
     * @param instructions the system message of this call only (not carried on to a continuation)
     * @param input this call's input items as chat messages
     * @param options the chat options they translate to (tools, tool_choice, response_format, max_tokens, ...)
     * @param stream whether the caller wants the Responses streaming events
     * @param store whether the caller lets the response be kept ({@code store}, true unless said otherwise)
     * @param previousResponseId the stored response this call continues, or null
     * @param echo the request's settings as the response object repeats them
     */
    record Call(
            String model,
            @Nullable String instructions,
            ArrayNode input,
            Map<String, Object> options,
            boolean stream,
            boolean store,
            @Nullable String previousResponseId,
            ObjectNode echo,
            List<Unmatched> unmatched) {}

    /**
     * A {@code function_call_output} item whose {@code call_id} names no {@code function_call} before it in the input:
     * it must answer a call of the previous response, else the call is refused.
     *
     * @param path where it is, e.g. {@code input[1].call_id}
     */
    record Unmatched(String path, String callId) {}

    private final ObjectMapper json;
    private final JsonBody bodies;

    ResponsesReader(ObjectMapper json) {
        this.json = json;
        this.bodies = new JsonBody(json);
    }

    Call read(byte[] body) {
        ObjectNode root = bodies.object(body, false, STAGE);
        for (var field : root.properties()) {
            if (!READ.contains(field.getKey()) && !ECHOED.contains(field.getKey())) {
                throw invalid(
                        field.getKey(),
                        "'" + Stop.echo(field.getKey())
                                + "' is not supported by Airlock's Responses API; remove it (see"
                                + " docs/api.md for the fields served)");
            }
        }
        if (root.path("background").asBoolean(false)) {
            throw invalid("background", "'background' responses are not served; leave it out or false");
        }
        String model = Objects.requireNonNull(text(root, "model", true), "required");
        ObjectNode echo = json.createObjectNode();
        Map<String, Object> options = new LinkedHashMap<>();
        if (root.hasNonNull("tools")) {
            options.put("tools", value(tools(root.get("tools"))));
            echo.set("tools", root.get("tools"));
        }
        if (root.hasNonNull("tool_choice")) {
            options.put("tool_choice", value(toolChoice(root.get("tool_choice"))));
            echo.set("tool_choice", root.get("tool_choice"));
        }
        for (String number : new String[] {"temperature", "top_p"}) {
            if (root.hasNonNull(number)) {
                if (!root.get(number).isNumber()) {
                    throw invalid(number, "'" + number + "' must be a number");
                }
                options.put(number, root.get(number).numberValue());
                echo.set(number, root.get(number));
            }
        }
        if (root.hasNonNull("max_output_tokens")) {
            JsonNode max = root.get("max_output_tokens");
            if (!max.canConvertToLong() || !max.isIntegralNumber() || max.asLong() < 1) {
                throw invalid("max_output_tokens", "'max_output_tokens' must be a whole number of at least 1");
            }
            options.put("max_tokens", max.asLong());
            echo.set("max_output_tokens", max);
        }
        if (root.hasNonNull("parallel_tool_calls")) {
            options.put("parallel_tool_calls", bool(root, "parallel_tool_calls", true));
            echo.set("parallel_tool_calls", root.get("parallel_tool_calls"));
        }
        String user = text(root, "user", false);
        if (user != null) {
            options.put("user", user);
            echo.put("user", user);
        }
        if (root.hasNonNull("text")) {
            if (!root.get("text").isObject()) {
                throw invalid(
                        "text",
                        "'text' is " + shown(root.get("text"))
                                + "; expected an object such as {\"format\": {\"type\": \"json_object\"}}");
            }
            responseFormat(root.get("text")).ifPresent(format -> options.put("response_format", value(format)));
            echo.set("text", root.get("text"));
        }
        if (root.hasNonNull("metadata")) {
            if (!root.get("metadata").isObject()) {
                throw invalid("metadata", "'metadata' must be an object of string values");
            }
            echo.set("metadata", root.get("metadata"));
        }
        String instructions = text(root, "instructions", false);
        String previous = text(root, "previous_response_id", false);
        List<Unmatched> unmatched = new ArrayList<>();
        ArrayNode input = input(root.get("input"), unmatched);
        if (previous == null && !unmatched.isEmpty()) {
            throw dangling(unmatched.getFirst(), false);
        }
        return new Call(
                model,
                instructions,
                input,
                options,
                bool(root, "stream", false),
                bool(root, "store", true),
                previous,
                echo,
                List.copyOf(unmatched));
    }

    /** The refusal of a function's output that answers no call. */
    static Stop.Stopped dangling(Unmatched u, boolean continued) {
        return invalid(
                u.path(),
                "'" + u.path() + "' is '" + Stop.echo(u.callId()) + "', but no function_call with that call_id comes"
                        + " before it in 'input'" + (continued ? " or in the previous response" : "")
                        + "; a function_call_output answers a function_call the model made");
    }

    private ArrayNode input(@Nullable JsonNode node, List<Unmatched> unmatched) {
        Set<String> calls = new HashSet<>();
        ArrayNode messages = json.createArrayNode();
        if (node == null || node.isNull()) {
            throw invalid("input", "'input' is required: a string or an array of input items");
        }
        if (node.isTextual()) {
            messages.addObject().put("role", "user").put("content", node.asText());
            return messages;
        }
        if (!node.isArray() || node.isEmpty()) {
            throw invalid("input", "'input' must be a string or a non-empty array of input items");
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String path = "input[" + i + "]";
            if (!item.isObject()) {
                throw invalid(path, "'" + path + "' must be an object (an input item)");
            }
            String type = item.path("type").asText("message");
            switch (type) {
                case "message" -> messages.add(message(item, path));
                case "function_call" -> calls.add(functionCall(messages, item, path));
                case "function_call_output" -> {
                    String callId = text(item, "call_id", path + ".call_id");
                    if (!calls.contains(callId)) {
                        unmatched.add(new Unmatched(path + ".call_id", callId));
                    }
                    messages.addObject()
                            .put("role", "tool")
                            .put("tool_call_id", callId)
                            .put("content", output(item.get("output"), path + ".output"));
                }
                default ->
                    throw invalid(
                            path + ".type",
                            "'" + path + ".type' is '" + type + "'; expected message, function_call or"
                                    + " function_call_output");
            }
        }
        return messages;
    }

    private ObjectNode message(JsonNode item, String path) {
        String role = text(item, "role", path + ".role");
        if (!ROLES.contains(role)) {
            throw invalid(path + ".role", "'" + path + ".role' is '" + role + "'; expected one of " + ROLES);
        }
        ObjectNode message = json.createObjectNode().put("role", role);
        JsonNode content = item.get("content");
        if (content != null && content.isTextual()) {
            return message.put("content", content.asText());
        }
        if (content == null || !content.isArray()) {
            throw invalid(path + ".content", "'" + path + ".content' must be a string or an array of content parts");
        }
        ArrayNode parts = json.createArrayNode();
        StringBuilder text = new StringBuilder();
        boolean textOnly = true;
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String at = path + ".content[" + i + "]";
            String type = part.path("type").asText("");
            switch (type) {
                case "input_text", "output_text", "refusal" -> {
                    String value = text(part, "refusal".equals(type) ? "refusal" : "text", at + ".text");
                    parts.addObject().put("type", "text").put("text", value);
                    text.append(text.isEmpty() ? "" : "\n").append(value);
                }
                case "input_image" -> {
                    textOnly = false;
                    ObjectNode image =
                            parts.addObject().put("type", "image_url").putObject("image_url");
                    image.put("url", text(part, "image_url", at + ".image_url"));
                    if (part.hasNonNull("detail")) {
                        image.set("detail", part.get("detail"));
                    }
                }
                default ->
                    throw invalid(
                            at + ".type",
                            "'" + at + ".type' is '" + type + "'; expected input_text, output_text or input_image");
            }
        }
        // text alone goes as one string, so that the input guards (PII, injection) read and rewrite it
        return textOnly ? message.put("content", text.toString()) : message.set("content", parts);
    }

    /** A function call the model made earlier, sent back: the assistant message that asked for it. */
    private String functionCall(ArrayNode messages, JsonNode item, String path) {
        String id = text(item, "call_id", path + ".call_id");
        ObjectNode call = json.createObjectNode().put("id", id).put("type", "function");
        call.putObject("function")
                .put("name", text(item, "name", path + ".name"))
                .put("arguments", text(item, "arguments", path + ".arguments"));
        JsonNode last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
        if (last != null && "assistant".equals(last.path("role").asText()) && last.has("tool_calls")) {
            ((ArrayNode) last.get("tool_calls")).add(call);
            return id;
        }
        ObjectNode assistant = messages.addObject().put("role", "assistant");
        assistant.putNull("content");
        assistant.putArray("tool_calls").add(call);
        return id;
    }

    private static String output(@Nullable JsonNode output, String path) {
        if (output != null && output.isTextual()) {
            return output.asText();
        }
        if (output != null && output.isArray()) {
            StringBuilder text = new StringBuilder();
            output.forEach(part -> text.append(part.path("text").asText("")));
            return text.toString();
        }
        throw invalid(path, "'" + path + "' must be a string (what the function returned)");
    }

    private ArrayNode tools(JsonNode tools) {
        if (!tools.isArray()) {
            throw invalid("tools", "'tools' must be an array of function tools");
        }
        ArrayNode chat = json.createArrayNode();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String path = "tools[" + i + "]";
            String type = tool.path("type").asText("");
            if (!"function".equals(type)) {
                throw invalid(
                        path + ".type",
                        "'" + path + ".type' is '" + type + "'; only 'function' tools are served (built-in tools"
                                + " such as web_search run at OpenAI, not through Airlock)");
            }
            ObjectNode function = chat.addObject().put("type", "function").putObject("function");
            function.put("name", text(tool, "name", path + ".name"));
            if (tool.hasNonNull("parameters") && !tool.get("parameters").isObject()) {
                throw invalid(
                        path + ".parameters",
                        "'" + path + ".parameters' is " + shown(tool.get("parameters"))
                                + "; expected a JSON Schema object such as {\"type\": \"object\", \"properties\": {}}");
            }
            if (tool.hasNonNull("strict") && !tool.get("strict").isBoolean()) {
                throw invalid(path + ".strict", "'" + path + ".strict' must be true or false");
            }
            for (String field : new String[] {"description", "parameters", "strict"}) {
                if (tool.hasNonNull(field)) {
                    function.set(field, tool.get(field));
                }
            }
        }
        return chat;
    }

    private JsonNode toolChoice(JsonNode choice) {
        if (choice.isTextual()) {
            return choice;
        }
        if (choice.isObject() && "function".equals(choice.path("type").asText())) {
            ObjectNode chat = json.createObjectNode().put("type", "function");
            chat.putObject("function").put("name", text(choice, "name", "tool_choice.name"));
            return chat;
        }
        throw invalid("tool_choice", "'tool_choice' must be 'auto', 'none', 'required' or {type: function, name: ...}");
    }

    private Optional<ObjectNode> responseFormat(JsonNode text) {
        JsonNode format = text.path("format");
        if (format.isMissingNode() || format.isNull()) {
            return Optional.empty();
        }
        if (!format.isObject()) {
            throw invalid(
                    "text.format",
                    "'text.format' is " + shown(format) + "; expected an object with a type: text, json_object or"
                            + " json_schema");
        }
        String type = format.path("type").asText("");
        return switch (type) {
            case "text" -> Optional.empty();
            case "json_object" -> Optional.of(json.createObjectNode().put("type", "json_object"));
            case "json_schema" -> {
                ObjectNode chat = json.createObjectNode().put("type", "json_schema");
                ObjectNode schema = chat.putObject("json_schema");
                schema.put("name", text(format, "name", "text.format.name"));
                for (String field : new String[] {"schema", "strict", "description"}) {
                    if (format.hasNonNull(field)) {
                        schema.set(field, format.get(field));
                    }
                }
                yield Optional.of(chat);
            }
            default ->
                throw invalid(
                        "text.format.type",
                        "'text.format.type' is '" + type + "'; expected text, json_object or json_schema");
        };
    }

    private static Object value(JsonNode node) {
        return Objects.requireNonNull(JsonValues.valueOf(node), "a JSON value");
    }

    private static boolean bool(JsonNode root, String field, boolean byDefault) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return byDefault;
        }
        if (!node.isBoolean()) {
            throw invalid(field, "'" + field + "' must be true or false");
        }
        return node.asBoolean();
    }

    private static @Nullable String text(JsonNode root, String field, boolean required) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw invalid(field, "'" + field + "' is required");
            }
            return null;
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            throw invalid(field, "'" + field + "' must be a non-empty string");
        }
        return node.asText();
    }

    private static String text(JsonNode root, String field, String path) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw invalid(path, "'" + path + "' is required");
        }
        if (!node.isTextual()) {
            throw invalid(path, "'" + path + "' must be a string");
        }
        return node.asText();
    }

    /** A value as an error repeats it: its JSON, at most {@value Stop#ECHOED} characters. */
    static String shown(JsonNode value) {
        return Stop.echo(value.toString());
    }

    static Stop.Stopped invalid(String param, String message) {
        return Stop.invalid(STAGE, param, message).toException();
    }
}
