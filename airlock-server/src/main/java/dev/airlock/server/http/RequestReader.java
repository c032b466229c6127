package dev.airlock.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.decision.Stop;
import dev.airlock.provider.ChatMessage;
import dev.airlock.provider.ChatRequest;
import dev.airlock.provider.EmbeddingRequest;
import dev.airlock.provider.PredictRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Turns OpenAI-style JSON bodies into pipeline requests, refusing malformed or invalid ones with a 400 that names
 * the JSON path of the problem (e.g. {@code messages[1].role}).
 */
final class RequestReader {
    private static final String STAGE = "parse";
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");

    private final JsonBody bodies;

    RequestReader(ObjectMapper json) {
        this.bodies = new JsonBody(json);
    }

    ChatRequest chat(byte[] body) {
        ObjectNode root = object(body);
        String model = requiredText(root, "model");
        JsonNode messagesNode = root.get("messages");
        if (messagesNode == null || !messagesNode.isArray() || messagesNode.isEmpty()) {
            throw invalid("messages", "'messages' must be a non-empty array of message objects");
        }
        List<ChatMessage> messages = new ArrayList<>();
        for (int i = 0; i < messagesNode.size(); i++) {
            messages.add(message(messagesNode.get(i), "messages[" + i + "]"));
        }
        boolean stream = optionalBoolean(root, "stream");
        boolean includeUsage = false;
        JsonNode streamOptions = root.get("stream_options");
        if (streamOptions != null && !streamOptions.isNull()) {
            if (!streamOptions.isObject()) {
                throw invalid("stream_options", "'stream_options' must be an object");
            }
            includeUsage = optionalBoolean((ObjectNode) streamOptions, "include_usage", "stream_options.include_usage");
        }
        return new ChatRequest(
                model, messages, options(root, "model", "messages", "stream", "stream_options"), stream, includeUsage);
    }

    private ChatMessage message(JsonNode node, String path) {
        if (!node.isObject()) {
            throw invalid(path, "'" + path + "' must be an object with 'role' and 'content'");
        }
        String role = requiredText((ObjectNode) node, "role", path + ".role");
        if (!ROLES.contains(role)) {
            throw invalid(path + ".role", "'" + path + ".role' is '" + role + "'; expected one of " + ROLES);
        }
        JsonNode content = node.get("content");
        String text;
        if (content == null || content.isNull()) {
            if (!"assistant".equals(role)) {
                throw invalid(path + ".content", "'" + path + ".content' is required for role '" + role + "'");
            }
            text = "";
        } else if (content.isTextual()) {
            text = content.asText();
        } else if (content.isArray()) {
            text = textOfParts(content, path + ".content");
        } else {
            throw invalid(path + ".content", "'" + path + ".content' must be a string or an array of content parts");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fields =
                (Map<String, Object>) Objects.requireNonNull(JsonValues.valueOf(node), "an object maps to a map");
        return new ChatMessage(role, text, fields);
    }

    private static String textOfParts(JsonNode parts, String path) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            JsonNode part = parts.get(i);
            String type = part.path("type").asText("");
            if (type.isEmpty()) {
                throw invalid(path + "[" + i + "].type", "'" + path + "[" + i + "].type' is required");
            }
            if ("text".equals(type)) {
                if (!part.path("text").isTextual()) {
                    throw invalid(path + "[" + i + "].text", "'" + path + "[" + i + "].text' must be a string");
                }
                if (!text.isEmpty()) {
                    text.append('\n');
                }
                text.append(part.get("text").asText());
            }
        }
        return text.toString();
    }

    /** An embeddings request and the encoding the caller wants the vectors in. */
    record Embeddings(EmbeddingRequest request, boolean base64) {}

    Embeddings embeddings(byte[] body) {
        ObjectNode root = object(body);
        String model = requiredText(root, "model");
        JsonNode input = root.get("input");
        List<String> inputs = new ArrayList<>();
        if (input == null || input.isNull()) {
            throw invalid("input", "'input' is required: a string or an array of strings");
        } else if (input.isTextual()) {
            inputs.add(input.asText());
        } else if (input.isArray() && !input.isEmpty()) {
            for (int i = 0; i < input.size(); i++) {
                JsonNode item = input.get(i);
                if (!item.isTextual()) {
                    throw invalid(
                            "input[" + i + "]", "'input[" + i + "]' must be a string; token arrays are not supported");
                }
                inputs.add(item.asText());
            }
        } else {
            throw invalid("input", "'input' must be a string or a non-empty array of strings");
        }
        if (inputs.size() > 2048) {
            throw invalid("input", "'input' has " + inputs.size() + " items; at most 2048 are allowed");
        }
        JsonNode format = root.get("encoding_format");
        if (format != null && !format.isNull() && !Set.of("float", "base64").contains(format.asText())) {
            throw invalid("encoding_format", "'encoding_format' must be 'float' or 'base64'");
        }
        boolean base64 = format != null && "base64".equals(format.asText());
        return new Embeddings(
                new EmbeddingRequest(model, inputs, options(root, "model", "input", "encoding_format")), base64);
    }

    PredictRequest predict(String model, byte[] body) {
        ObjectNode root = object(body);
        JsonNode features = root.get("features");
        if (features == null || !features.isObject()) {
            throw invalid("features", "'features' must be an object of feature name to value");
        }
        for (var e : features.properties()) {
            if (e.getValue().isContainerNode()) {
                throw invalid(
                        "features." + e.getKey(),
                        "'features." + e.getKey() + "' must be a number, string, boolean or null");
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> values =
                (Map<String, Object>) Objects.requireNonNull(JsonValues.valueOf(features), "an object maps to a map");
        return new PredictRequest(model, values);
    }

    private ObjectNode object(byte[] body) {
        return bodies.object(body, false, STAGE);
    }

    private static Map<String, Object> options(ObjectNode root, String... consumed) {
        return JsonValues.fieldsOf(root, Set.of(consumed));
    }

    private static String requiredText(ObjectNode root, String field) {
        return requiredText(root, field, field);
    }

    private static String requiredText(ObjectNode root, String field, String path) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw invalid(path, "'" + path + "' is required");
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            throw invalid(path, "'" + path + "' must be a non-empty string");
        }
        return node.asText();
    }

    private static boolean optionalBoolean(ObjectNode root, String field) {
        return optionalBoolean(root, field, field);
    }

    private static boolean optionalBoolean(ObjectNode root, String field, String path) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw invalid(path, "'" + path + "' must be true or false");
        }
        return node.asBoolean();
    }

    static Stop.Stopped invalid(String param, String message) {
        return Stop.invalid(STAGE, param, message).toException();
    }
}
