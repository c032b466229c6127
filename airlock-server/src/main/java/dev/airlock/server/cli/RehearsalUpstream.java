package dev.airlock.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;

/**
 * The upstream a rehearsal drives instead of the real one: a local server on 127.0.0.1 speaking OpenAI's wire
 * protocol ({@code /v1/chat/completions} without streaming, {@code /v1/embeddings}, {@code /v1/models}). It answers
 * every call alike, after a fixed latency or with a fixed error, so that a load test measures Airlock and a drill
 * sees exactly the failure it rehearses. A chat answer echoes the last user message; token counts are words.
 *
 * <pre>{@code
 * try (RehearsalUpstream upstream = RehearsalUpstream.answering(Duration.ofMillis(50))) {
 *     String baseUrl = upstream.baseUrl(); // http://127.0.0.1:PORT/v1
 * }
 * }</pre>
 */
final class RehearsalUpstream implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Duration latency;
    private final int errorStatus;
    private final @Nullable String errorMessage;

    private RehearsalUpstream(HttpServer server, Duration latency, int errorStatus, @Nullable String errorMessage) {
        this.server = server;
        this.latency = latency;
        this.errorStatus = errorStatus;
        this.errorMessage = errorMessage;
    }

    /** An upstream that answers every call after {@code latency}. */
    static RehearsalUpstream answering(Duration latency) {
        return start(latency, 200, null);
    }

    /** An upstream that fails every call with {@code status} and an OpenAI-style error saying {@code message}. */
    static RehearsalUpstream failing(int status, String message) {
        return start(Duration.ZERO, status, message);
    }

    private static RehearsalUpstream start(Duration latency, int errorStatus, @Nullable String errorMessage) {
        // The JDK server closes idle keep-alive connections beyond 200 by default, racing clients that reuse them
        // under load; real upstreams keep far more open. Set before the server classes read it.
        System.setProperty("sun.net.httpserver.maxIdleConnections", "10000");
        try {
            var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
            var upstream = new RehearsalUpstream(server, latency, errorStatus, errorMessage);
            server.createContext("/", upstream::answer);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return upstream;
        } catch (IOException e) {
            throw new IllegalStateException("could not start the rehearsal's local upstream on 127.0.0.1", e);
        }
    }

    /** The base URL a provider is pointed at, ending in {@code /v1}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            JsonNode body = raw.length == 0 ? JSON.createObjectNode() : JSON.readTree(raw);
            String path = exchange.getRequestURI().getPath();
            pause(latency);
            if (errorMessage != null) {
                ObjectNode error = JSON.createObjectNode();
                error.putObject("error")
                        .put("message", errorMessage)
                        .put("type", "server_error")
                        .putNull("code");
                send(exchange, errorStatus, error);
            } else if (path.endsWith("/chat/completions")) {
                send(exchange, 200, chat(body));
            } else if (path.endsWith("/embeddings")) {
                send(exchange, 200, embeddings(body));
            } else if (path.endsWith("/models")) {
                ObjectNode list = JSON.createObjectNode().put("object", "list");
                list.putArray("data").addObject().put("id", "rehearsal").put("object", "model");
                send(exchange, 200, list);
            } else {
                ObjectNode error = JSON.createObjectNode();
                error.putObject("error").put("message", "no route " + path);
                send(exchange, 404, error);
            }
        }
    }

    private static ObjectNode chat(JsonNode body) {
        String answer = "echo: " + lastUserText(body);
        int promptTokens = 0;
        for (JsonNode m : body.path("messages")) {
            promptTokens += words(m.path("content").asText());
        }
        int completionTokens = words(answer);
        ObjectNode response = JSON.createObjectNode()
                .put("id", "chatcmpl-rehearsal")
                .put("object", "chat.completion")
                .put("created", 1_700_000_000L)
                .put("model", body.path("model").asText("rehearsal"));
        ObjectNode choice = response.putArray("choices").addObject().put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", answer);
        choice.put("finish_reason", "stop");
        response.putObject("usage")
                .put("prompt_tokens", promptTokens)
                .put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
        return response;
    }

    private static ObjectNode embeddings(JsonNode body) {
        List<String> inputs = new ArrayList<>();
        JsonNode input = body.path("input");
        if (input.isArray()) {
            input.forEach(n -> inputs.add(n.asText()));
        } else {
            inputs.add(input.asText());
        }
        ObjectNode response = JSON.createObjectNode().put("object", "list");
        ArrayNode data = response.putArray("data");
        int tokens = 0;
        for (int i = 0; i < inputs.size(); i++) {
            ArrayNode vector =
                    data.addObject().put("object", "embedding").put("index", i).putArray("embedding");
            for (float v : vectorOf(inputs.get(i))) {
                vector.add(v);
            }
            tokens += words(inputs.get(i));
        }
        response.put("model", body.path("model").asText("rehearsal"));
        response.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        return response;
    }

    /** A deterministic 8-dimensional unit vector derived from the text's hash. */
    static float[] vectorOf(String text) {
        float[] v = new float[8];
        int h = text.hashCode();
        double norm = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = ((h >>> (i * 4)) & 0xF) + 1;
            norm += v[i] * v[i];
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (v[i] / Math.sqrt(norm));
        }
        return v;
    }

    private static String lastUserText(JsonNode body) {
        String text = "";
        for (JsonNode m : body.path("messages")) {
            if ("user".equals(m.path("role").asText())) {
                text = m.path("content").asText();
            }
        }
        return text;
    }

    private static int words(String text) {
        String t = text.strip();
        return t.isEmpty() ? 0 : t.split("\\s+", -1).length;
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** The upstream's simulated latency: what the load test adds per call, on purpose. */
    private static void pause(Duration latency) {
        if (!latency.isPositive()) {
            return;
        }
        try {
            Thread.sleep(latency);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
