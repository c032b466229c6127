package dev.airlock.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local server speaking Google's Gemini API: {@code POST /v1beta/models/{model}:generateContent} and {@code
 * :streamGenerateContent?alt=sse} with {@code x-goog-api-key}; {@code contents} of {@code user} and {@code model}
 * turns, {@code systemInstruction}, {@code functionDeclarations}, {@code functionCall}/{@code functionResponse},
 * {@code usageMetadata}, {@code finishReason}; errors as {@code {"error":{"code","message","status"}}} (an invalid key
 * is a 400, as Google answers it). A stream is a series of partial answers, the last with the finish reason and usage.
 */
public final class FakeGemini extends FakeUpstream {
    private static final Pattern PATH =
            Pattern.compile("/v1beta/models/([^/:]+):(generateContent|streamGenerateContent)");
    private static final Set<String> ROLES = Set.of("user", "model");
    private static final Map<Integer, String> STATUS = Map.of(
            400,
            "INVALID_ARGUMENT",
            403,
            "PERMISSION_DENIED",
            404,
            "NOT_FOUND",
            429,
            "RESOURCE_EXHAUSTED",
            500,
            "INTERNAL",
            503,
            "UNAVAILABLE");
    private final String apiKey;

    private FakeGemini(String apiKey) {
        this.apiKey = apiKey;
    }

    /** Runs as its own process until killed ({@code [api key]}); prints its base URL on the first line. */
    public static void main(String[] args) throws InterruptedException {
        System.out.println(start(args.length > 0 ? args[0] : "gemini-local").baseUrl());
        System.out.flush();
        Thread.currentThread().join();
    }

    /** Starts on a free port; requests must carry {@code apiKey} as {@code x-goog-api-key}. */
    public static FakeGemini start(String apiKey) {
        return new FakeGemini(apiKey);
    }

    /** {@code http://127.0.0.1:PORT/v1beta}. */
    @Override
    public String baseUrl() {
        return origin() + "/v1beta";
    }

    @Override
    protected Failure authenticate(HttpExchange exchange, byte[] body) {
        if (!apiKey.equals(exchange.getRequestHeaders().getFirst("x-goog-api-key"))) {
            return new Failure(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.");
        }
        return null;
    }

    @Override
    protected void answer(
            HttpExchange exchange, String path, String query, JsonNode body, Answer answer, Failure streamFailure)
            throws IOException {
        Matcher m = PATH.matcher(path);
        if (!m.matches()) {
            fail(exchange, new Failure(404, "NOT_FOUND", "Not found: " + path));
            return;
        }
        for (JsonNode content : body.path("contents")) {
            if (!ROLES.contains(content.path("role").asText())) {
                fail(exchange, new Failure(400, "INVALID_ARGUMENT", "Please use a valid role: user, model."));
                return;
            }
        }
        String model = m.group(1);
        if (m.group(2).equals("generateContent")) {
            ObjectNode response = response(model, answer, true);
            sendJson(exchange, 200, response);
            return;
        }
        if (!"alt=sse".equals(query)) {
            fail(exchange, new Failure(400, "INVALID_ARGUMENT", "this fake streams only with alt=sse"));
            return;
        }
        OutputStream os = startStream(exchange, "text/event-stream");
        if (streamFailure != null) {
            ObjectNode error = JSON.createObjectNode();
            error.putObject("error")
                    .put("code", 503)
                    .put("message", streamFailure.message())
                    .put("status", streamFailure.type());
            event(os, error);
            return;
        }
        if (answer.isToolCall()) {
            event(os, response(model, answer, true));
            return;
        }
        var pieces = answer.pieces();
        for (int i = 0; i < pieces.size(); i++) {
            boolean last = i == pieces.size() - 1;
            event(os, response(model, new Answer(pieces.get(i), null, null, answer.in(), answer.out()), last));
        }
    }

    private static ObjectNode response(String model, Answer answer, boolean last) throws IOException {
        ObjectNode response = JSON.createObjectNode();
        ObjectNode candidate = response.putArray("candidates").addObject();
        ObjectNode part = candidate
                .putObject("content")
                .put("role", "model")
                .putArray("parts")
                .addObject();
        if (answer.isToolCall()) {
            part.putObject("functionCall").put("name", answer.tool()).set("args", JSON.readTree(answer.arguments()));
        } else {
            part.put("text", answer.text());
        }
        candidate.put("index", 0);
        if (last) {
            candidate.put("finishReason", "STOP");
            response.putObject("usageMetadata")
                    .put("promptTokenCount", answer.in())
                    .put("candidatesTokenCount", answer.out())
                    .put("totalTokenCount", answer.in() + answer.out());
        }
        response.put("modelVersion", model).put("responseId", "fake-response");
        return response;
    }

    private static void event(OutputStream os, JsonNode data) throws IOException {
        os.write(("data: " + JSON.writeValueAsString(data) + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        os.flush();
    }

    @Override
    protected void fail(HttpExchange exchange, Failure failure) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error")
                .put("code", failure.status())
                .put("message", failure.message())
                .put("status", STATUS.getOrDefault(failure.status(), failure.type()));
        sendJson(exchange, failure.status(), body);
    }

    @Override
    protected String lastUserText(JsonNode body) {
        String text = "";
        for (JsonNode content : body.path("contents")) {
            if ("user".equals(content.path("role").asText())) {
                for (JsonNode part : content.path("parts")) {
                    if (part.has("text")) {
                        text = part.path("text").asText();
                    }
                }
            }
        }
        return text;
    }
}
