package dev.airlock.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.decision.Usage;
import dev.airlock.provider.ChatChunk;
import dev.airlock.provider.ChunkSink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A streamed chat answer told as the Responses API's events: {@code response.created}, {@code
 * response.output_item.added}, {@code response.output_text.delta} and {@code ..._arguments.delta} as chunks arrive,
 * then the {@code .done} events and {@code response.completed} once the Decision is recorded (and the response
 * kept). Nothing is written before the first chunk, so a call stopped before it still gets an ordinary error.
 */
final class ResponseStream implements ChunkSink {
    private final SseSink sse;
    private final ObjectMapper json;
    private final ResponseBodies bodies;
    private final Function<String, ResponseBodies.Head> head;
    private @Nullable String decisionId;
    private int sequence;
    private boolean started;
    private @Nullable String finishReason;
    /** Output items in the order they appeared; a message is one text item, each tool call its own. */
    private final List<Item> items = new ArrayList<>();

    private @Nullable TextItem message;
    private final Map<Integer, CallItem> calls = new LinkedHashMap<>();

    private sealed interface Item permits TextItem, CallItem {}

    private static final class TextItem implements Item {
        final StringBuilder text = new StringBuilder();
    }

    private static final class CallItem implements Item {
        String callId = "";
        String name = "";
        final StringBuilder arguments = new StringBuilder();
    }

    /**
     * @param head the response's head, given the Decision id (known once the pipeline opens the stream)
     */
    ResponseStream(SseSink sse, ObjectMapper json, ResponseBodies bodies, Function<String, ResponseBodies.Head> head) {
        this.sse = sse;
        this.json = json;
        this.bodies = bodies;
        this.head = head;
    }

    @Override
    public void opened(String id) {
        this.decisionId = id;
        sse.opened(id);
    }

    @Override
    public void accept(ChatChunk chunk) {
        if (!started) {
            start();
        }
        JsonNode choice = parse(chunk.json()).path("choices").path(0);
        if (choice.path("finish_reason").isTextual()) {
            finishReason = choice.path("finish_reason").asText();
        }
        JsonNode delta = choice.path("delta");
        String text = delta.path("content").asText("");
        if (!text.isEmpty()) {
            textDelta(text);
        }
        for (JsonNode call : delta.path("tool_calls")) {
            callDelta(call);
        }
    }

    boolean started() {
        return started;
    }

    /** Starts the stream when the answer came without a single chunk. */
    void startIfQuiet() {
        if (!started) {
            start();
        }
    }

    /** Ends each open item with its done events; returns the output as the final response carries it. */
    ArrayNode finishItems() {
        ArrayNode output = json.createArrayNode();
        for (int index = 0; index < items.size(); index++) {
            ObjectNode done = switch (items.get(index)) {
                case TextItem t -> finishText(index, t);
                case CallItem c -> finishCall(index, c);
            };
            output.add(done);
        }
        return output;
    }

    @Nullable
    String finishReason() {
        return finishReason;
    }

    /** The last event of an answered stream: the whole response. */
    void completed(ObjectNode response) {
        ObjectNode event = json.createObjectNode();
        event.set("response", response);
        emit("response." + response.path("status").asText("completed"), event);
    }

    /** Ends a broken stream with an error event, which OpenAI's clients raise as an error. */
    void failed(String code, String message) {
        ObjectNode event = json.createObjectNode().put("code", code).put("message", message);
        event.putNull("param");
        try {
            emit("error", event);
        } catch (RuntimeException gone) {
            // the caller left as well; the Decision says how the stream ended
        }
    }

    private void start() {
        started = true;
        ObjectNode created = json.createObjectNode();
        created.set("response", inProgress());
        emit("response.created", created);
        ObjectNode progress = json.createObjectNode();
        progress.set("response", inProgress());
        emit("response.in_progress", progress);
    }

    private ObjectNode inProgress() {
        return bodies.response(currentHead(), "in_progress", json.createArrayNode(), (Usage) null, null);
    }

    private ResponseBodies.Head currentHead() {
        return head.apply(Objects.requireNonNull(decisionId, "the pipeline opens a stream before its first chunk"));
    }

    private String id() {
        return Objects.requireNonNull(decisionId, "opened");
    }

    private void textDelta(String text) {
        TextItem item = message;
        if (item == null) {
            item = new TextItem();
            message = item;
            items.add(item);
            int index = items.size() - 1;
            ObjectNode added = json.createObjectNode().put("output_index", index);
            added.set("item", bodies.messageItem(ResponseBodies.messageId(id()), "", "in_progress"));
            emit("response.output_item.added", added);
            ObjectNode part = json.createObjectNode()
                    .put("item_id", ResponseBodies.messageId(id()))
                    .put("output_index", index)
                    .put("content_index", 0);
            part.set("part", bodies.textPart(""));
            emit("response.content_part.added", part);
        }
        item.text.append(text);
        ObjectNode delta = json.createObjectNode()
                .put("item_id", ResponseBodies.messageId(id()))
                .put("output_index", items.indexOf(item))
                .put("content_index", 0)
                .put("delta", text);
        delta.putArray("logprobs");
        emit("response.output_text.delta", delta);
    }

    private void callDelta(JsonNode call) {
        int chatIndex = call.path("index").asInt(calls.size());
        CallItem item = calls.get(chatIndex);
        JsonNode function = call.path("function");
        if (item == null) {
            item = new CallItem();
            item.callId = call.path("id").asText("");
            item.name = function.path("name").asText("");
            calls.put(chatIndex, item);
            items.add(item);
            ObjectNode added = json.createObjectNode().put("output_index", items.size() - 1);
            added.set(
                    "item",
                    bodies.functionCallItem(
                            ResponseBodies.functionCallId(id(), chatIndex), item.callId, item.name, "", "in_progress"));
            emit("response.output_item.added", added);
        }
        String arguments = function.path("arguments").asText("");
        if (!arguments.isEmpty()) {
            item.arguments.append(arguments);
            emit(
                    "response.function_call_arguments.delta",
                    json.createObjectNode()
                            .put("item_id", ResponseBodies.functionCallId(id(), chatIndex))
                            .put("output_index", items.indexOf(item))
                            .put("delta", arguments));
        }
    }

    private ObjectNode finishText(int index, TextItem item) {
        String itemId = ResponseBodies.messageId(id());
        String text = item.text.toString();
        ObjectNode textDone = json.createObjectNode()
                .put("item_id", itemId)
                .put("output_index", index)
                .put("content_index", 0)
                .put("text", text);
        textDone.putArray("logprobs");
        emit("response.output_text.done", textDone);
        ObjectNode partDone = json.createObjectNode()
                .put("item_id", itemId)
                .put("output_index", index)
                .put("content_index", 0);
        partDone.set("part", bodies.textPart(text));
        emit("response.content_part.done", partDone);
        ObjectNode done = bodies.messageItem(itemId, text, "completed");
        itemDone(index, done);
        return done;
    }

    private ObjectNode finishCall(int index, CallItem item) {
        int chatIndex = calls.entrySet().stream()
                .filter(e -> e.getValue() == item)
                .findFirst()
                .orElseThrow()
                .getKey();
        String itemId = ResponseBodies.functionCallId(id(), chatIndex);
        emit(
                "response.function_call_arguments.done",
                json.createObjectNode()
                        .put("item_id", itemId)
                        .put("output_index", index)
                        .put("name", item.name)
                        .put("arguments", item.arguments.toString()));
        ObjectNode done =
                bodies.functionCallItem(itemId, item.callId, item.name, item.arguments.toString(), "completed");
        itemDone(index, done);
        return done;
    }

    private void itemDone(int index, ObjectNode item) {
        ObjectNode done = json.createObjectNode().put("output_index", index);
        done.set("item", item);
        emit("response.output_item.done", done);
    }

    private void emit(String type, ObjectNode event) {
        ObjectNode data = json.createObjectNode().put("type", type);
        data.setAll(event);
        data.put("sequence_number", sequence++);
        sse.event(type, data.toString());
    }

    private JsonNode parse(String chunk) {
        try {
            return json.readTree(chunk);
        } catch (JsonProcessingException e) {
            return json.createObjectNode();
        }
    }
}
