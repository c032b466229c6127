package dev.airlock.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.decision.Usage;
import org.jspecify.annotations.Nullable;

/** The Responses API's objects (response, output items, usage) as OpenAI's clients read them. */
final class ResponseBodies {
    private final ObjectMapper json;

    ResponseBodies(ObjectMapper json) {
        this.json = json;
    }

    /** A response's id, made from its Decision's: {@code resp_} and the Decision id's hex digits. */
    static String responseId(String decisionId) {
        return "resp_" + decisionId.replace("-", "");
    }

    static String messageId(String decisionId) {
        return "msg_" + decisionId.replace("-", "");
    }

    static String functionCallId(String decisionId, int index) {
        return "fc_" + decisionId.replace("-", "") + "_" + index;
    }

    /** What a response says about itself besides its output: its settings, as the request gave them. */
    record Head(String id, long createdAt, String model, ResponsesReader.Call call, boolean stored) {}

    /**
     * The response object.
     *
     * @param status in_progress, completed, incomplete or failed
     * @param finishReason the chat finish reason it ended with, for {@code incomplete_details}
     */
    ObjectNode response(
            Head head, String status, ArrayNode output, @Nullable Usage usage, @Nullable String finishReason) {
        ResponsesReader.Call call = head.call();
        ObjectNode echo = call.echo();
        ObjectNode root = json.createObjectNode()
                .put("id", head.id())
                .put("object", "response")
                .put("created_at", head.createdAt())
                .put("status", status);
        root.putNull("error");
        String incomplete = "incomplete".equals(status) ? incompleteReason(finishReason) : null;
        if (incomplete == null) {
            root.putNull("incomplete_details");
        } else {
            root.putObject("incomplete_details").put("reason", incomplete);
        }
        root.put("instructions", call.instructions());
        root.set(
                "max_output_tokens",
                echo.path("max_output_tokens").isMissingNode() ? null : echo.get("max_output_tokens"));
        root.put("model", head.model());
        root.set("output", output);
        root.put("parallel_tool_calls", echo.path("parallel_tool_calls").asBoolean(true));
        root.put("previous_response_id", call.previousResponseId());
        root.putObject("reasoning").putNull("effort").putNull("summary");
        root.put("store", head.stored());
        root.put("temperature", echo.path("temperature").asDouble(1.0));
        root.set("text", echo.has("text") ? echo.get("text") : textFormat());
        root.set(
                "tool_choice",
                echo.has("tool_choice")
                        ? echo.get("tool_choice")
                        : json.getNodeFactory().textNode("auto"));
        root.set("tools", echo.has("tools") ? echo.get("tools") : json.createArrayNode());
        root.put("top_p", echo.path("top_p").asDouble(1.0));
        root.put("truncation", "disabled");
        if (usage == null) {
            root.putNull("usage");
        } else {
            root.set("usage", usage(usage));
        }
        root.set("user", echo.has("user") ? echo.get("user") : null);
        root.set("metadata", echo.has("metadata") ? echo.get("metadata") : json.createObjectNode());
        return root;
    }

    /** Chat's finish reason as the response's status. */
    static String status(@Nullable String finishReason) {
        return "length".equals(finishReason) || "content_filter".equals(finishReason) ? "incomplete" : "completed";
    }

    private static @Nullable String incompleteReason(@Nullable String finishReason) {
        return "content_filter".equals(finishReason) ? "content_filter" : "max_output_tokens";
    }

    ObjectNode messageItem(String id, String text, String status) {
        ObjectNode item = json.createObjectNode()
                .put("type", "message")
                .put("id", id)
                .put("status", status)
                .put("role", "assistant");
        ArrayNode content = item.putArray("content");
        if (!"in_progress".equals(status)) {
            content.add(textPart(text));
        }
        return item;
    }

    ObjectNode textPart(String text) {
        ObjectNode part = json.createObjectNode().put("type", "output_text").put("text", text);
        part.putArray("annotations");
        part.putArray("logprobs");
        return part;
    }

    ObjectNode functionCallItem(String id, String callId, String name, String arguments, String status) {
        return json.createObjectNode()
                .put("type", "function_call")
                .put("id", id)
                .put("call_id", callId)
                .put("name", name)
                .put("arguments", arguments)
                .put("status", status);
    }

    /**
     * The output items of a whole chat answer ({@code choices[0].message} of a chat completion body): its text as a
     * message, each tool call as a function call.
     */
    ArrayNode output(String decisionId, JsonNode message) {
        ArrayNode output = json.createArrayNode();
        String text = message.path("content").asText("");
        if (!text.isEmpty() || !message.path("tool_calls").isArray()) {
            output.add(messageItem(messageId(decisionId), text, "completed"));
        }
        JsonNode calls = message.path("tool_calls");
        for (int i = 0; i < calls.size(); i++) {
            JsonNode call = calls.get(i);
            output.add(functionCallItem(
                    functionCallId(decisionId, i),
                    call.path("id").asText(),
                    call.path("function").path("name").asText(),
                    call.path("function").path("arguments").asText(""),
                    "completed"));
        }
        return output;
    }

    /** The assistant's turn as a chat message, for the stored conversation. */
    ObjectNode assistantMessage(ArrayNode output) {
        ObjectNode message = json.createObjectNode().put("role", "assistant");
        StringBuilder text = new StringBuilder();
        ArrayNode calls = json.createArrayNode();
        for (JsonNode item : output) {
            if ("message".equals(item.path("type").asText())) {
                item.path("content")
                        .forEach(part -> text.append(part.path("text").asText("")));
            } else if ("function_call".equals(item.path("type").asText())) {
                ObjectNode call = calls.addObject()
                        .put("id", item.path("call_id").asText())
                        .put("type", "function");
                call.putObject("function")
                        .put("name", item.path("name").asText())
                        .put("arguments", item.path("arguments").asText());
            }
        }
        if (text.isEmpty() && !calls.isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", text.toString());
        }
        if (!calls.isEmpty()) {
            message.set("tool_calls", calls);
        }
        return message;
    }

    private ObjectNode usage(Usage usage) {
        ObjectNode node = json.createObjectNode().put("input_tokens", usage.inputTokens());
        node.putObject("input_tokens_details")
                .put("cached_tokens", usage.cachedInputTokens())
                .put("cache_write_tokens", 0);
        node.put("output_tokens", usage.outputTokens());
        node.putObject("output_tokens_details").put("reasoning_tokens", 0);
        node.put("total_tokens", usage.inputTokens() + usage.outputTokens());
        return node;
    }

    private ObjectNode textFormat() {
        ObjectNode text = json.createObjectNode();
        text.putObject("format").put("type", "text");
        return text;
    }
}
