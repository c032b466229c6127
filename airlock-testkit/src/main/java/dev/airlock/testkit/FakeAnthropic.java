package dev.airlock.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * A local server speaking Anthropic's Messages API: {@code POST /v1/messages} with {@code x-api-key} and {@code
 * anthropic-version}, a top-level {@code system}, content blocks, {@code tool_use}/{@code tool_result}, usage, errors
 * as {@code {"type":"error","error":{"type","message"}}}, and SSE streams of {@code message_start}, {@code
 * content_block_start/delta/stop}, {@code ping}, {@code message_delta}, {@code message_stop} (or {@code error}).
 * Requests the real API refuses (no {@code max_tokens}, a {@code system} role in {@code messages}) are refused alike.
 *
 * <pre>{@code
 * try (FakeAnthropic claude = FakeAnthropic.start("sk-ant-test")) {
 *     String baseUrl = claude.baseUrl(); // http://127.0.0.1:PORT
 * }
 * }</pre>
 */
public final class FakeAnthropic extends FakeUpstream {
    private static final Set<String> ROLES = Set.of("user", "assistant");
    private final String apiKey;

    private FakeAnthropic(String apiKey) {
        this.apiKey = apiKey;
    }

    /** Runs as its own process until killed ({@code [api key]}); prints its base URL on the first line. */
    public static void main(String[] args) throws InterruptedException {
        System.out.println(start(args.length > 0 ? args[0] : "sk-ant-local").baseUrl());
        System.out.flush();
        Thread.currentThread().join();
    }

    /** Starts on a free port; requests must carry {@code apiKey} as {@code x-api-key}. */
    public static FakeAnthropic start(String apiKey) {
        return new FakeAnthropic(apiKey);
    }

    @Override
    public String baseUrl() {
        return origin();
    }

    @Override
    protected Failure authenticate(HttpExchange exchange, byte[] body) {
        if (!apiKey.equals(exchange.getRequestHeaders().getFirst("x-api-key"))) {
            return new Failure(401, "authentication_error", "invalid x-api-key");
        }
        if (exchange.getRequestHeaders().getFirst("anthropic-version") == null) {
            return new Failure(400, "invalid_request_error", "anthropic-version: header is required");
        }
        return null;
    }

    @Override
    protected void answer(
            HttpExchange exchange, String path, String query, JsonNode body, Answer answer, Failure streamFailure)
            throws IOException {
        if (!path.equals("/v1/messages")) {
            fail(exchange, new Failure(404, "not_found_error", "Not found: " + path));
            return;
        }
        String invalid = invalid(body);
        if (invalid != null) {
            fail(exchange, new Failure(400, "invalid_request_error", invalid));
            return;
        }
        String model = body.path("model").asText();
        if (body.path("stream").asBoolean(false)) {
            stream(exchange, model, answer, streamFailure);
            return;
        }
        ObjectNode message = JSON.createObjectNode()
                .put("id", "msg_fake")
                .put("type", "message")
                .put("role", "assistant")
                .put("model", model);
        if (answer.isToolCall()) {
            message.putArray("content")
                    .addObject()
                    .put("type", "tool_use")
                    .put("id", "toolu_fake_1")
                    .put("name", answer.tool())
                    .set("input", JSON.readTree(answer.arguments()));
        } else {
            message.putArray("content").addObject().put("type", "text").put("text", answer.text());
        }
        message.put("stop_reason", answer.isToolCall() ? "tool_use" : "end_turn");
        message.putNull("stop_sequence");
        message.putObject("usage").put("input_tokens", answer.in()).put("output_tokens", answer.out());
        sendJson(exchange, 200, message);
    }

    private static String invalid(JsonNode body) {
        if (!body.path("max_tokens").isNumber()) {
            return "max_tokens: Field required";
        }
        if (!body.path("messages").isArray() || body.path("messages").isEmpty()) {
            return "messages: Field required";
        }
        for (JsonNode m : body.path("messages")) {
            if (!ROLES.contains(m.path("role").asText())) {
                return "messages: Unexpected role \"" + m.path("role").asText()
                        + "\". The Messages API accepts a top-level `system` parameter, not \"system\" as an input"
                        + " message role.";
            }
        }
        return null;
    }

    private void stream(HttpExchange exchange, String model, Answer answer, Failure failure) throws IOException {
        OutputStream os = startStream(exchange, "text/event-stream");
        ObjectNode start = JSON.createObjectNode().put("type", "message_start");
        ObjectNode message = start.putObject("message")
                .put("id", "msg_fake")
                .put("type", "message")
                .put("role", "assistant")
                .put("model", model);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putObject("usage").put("input_tokens", answer.in()).put("output_tokens", 1);
        event(os, "message_start", start);
        if (failure != null) {
            ObjectNode error = JSON.createObjectNode().put("type", "error");
            error.putObject("error").put("type", failure.type()).put("message", failure.message());
            event(os, "error", error);
            return;
        }
        ObjectNode blockStart =
                JSON.createObjectNode().put("type", "content_block_start").put("index", 0);
        if (answer.isToolCall()) {
            blockStart
                    .putObject("content_block")
                    .put("type", "tool_use")
                    .put("id", "toolu_fake_1")
                    .put("name", answer.tool())
                    .putObject("input");
        } else {
            blockStart.putObject("content_block").put("type", "text").put("text", "");
        }
        event(os, "content_block_start", blockStart);
        event(os, "ping", JSON.createObjectNode().put("type", "ping"));
        if (answer.isToolCall()) {
            int half = answer.arguments().length() / 2;
            for (String piece : new String[] {
                answer.arguments().substring(0, half), answer.arguments().substring(half)
            }) {
                delta(
                        os,
                        JSON.createObjectNode().put("type", "input_json_delta").put("partial_json", piece));
            }
        } else {
            for (String piece : answer.pieces()) {
                delta(os, JSON.createObjectNode().put("type", "text_delta").put("text", piece));
            }
        }
        event(
                os,
                "content_block_stop",
                JSON.createObjectNode().put("type", "content_block_stop").put("index", 0));
        ObjectNode end = JSON.createObjectNode().put("type", "message_delta");
        end.putObject("delta")
                .put("stop_reason", answer.isToolCall() ? "tool_use" : "end_turn")
                .putNull("stop_sequence");
        end.putObject("usage").put("output_tokens", answer.out());
        event(os, "message_delta", end);
        event(os, "message_stop", JSON.createObjectNode().put("type", "message_stop"));
    }

    private static void delta(OutputStream os, ObjectNode delta) throws IOException {
        ObjectNode event =
                JSON.createObjectNode().put("type", "content_block_delta").put("index", 0);
        event.set("delta", delta);
        event(os, "content_block_delta", event);
    }

    private static void event(OutputStream os, String name, JsonNode data) throws IOException {
        os.write(("event: " + name + "\ndata: " + JSON.writeValueAsString(data) + "\n\n")
                .getBytes(StandardCharsets.UTF_8));
        os.flush();
    }

    @Override
    protected void fail(HttpExchange exchange, Failure failure) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("type", "error");
        body.putObject("error").put("type", failure.type()).put("message", failure.message());
        sendJson(exchange, failure.status(), body);
    }

    @Override
    protected String lastUserText(JsonNode body) {
        String text = "";
        for (JsonNode m : body.path("messages")) {
            if (!"user".equals(m.path("role").asText())) {
                continue;
            }
            JsonNode content = m.path("content");
            if (content.isTextual()) {
                text = content.asText();
            } else {
                for (JsonNode block : content) {
                    if ("text".equals(block.path("type").asText())) {
                        text = block.path("text").asText();
                    }
                }
            }
        }
        return text;
    }
}
