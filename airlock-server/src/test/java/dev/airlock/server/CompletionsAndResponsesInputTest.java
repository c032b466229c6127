package dev.airlock.server;

import static dev.airlock.server.TestNode.APP_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.airlock.server.config.ConfigLoader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /v1/completions} and {@code /v1/responses} against what real upstreams and clients send: usage reported on
 * the finishing chunk (llama.cpp's way) reaches the caller, and values an upstream would take leniently are refused
 * here with a 400 naming {@code param}.
 */
class CompletionsAndResponsesInputTest {
    @TempDir
    Path dir;

    /** A chunk of a chat stream as llama.cpp's server writes it. */
    private static String chunk(String delta, String finish, String usage) {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"llama\","
                + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finish + "}]" + usage
                + "}\n\n";
    }

    @Test
    void completionsStreaming_keepsUsage_thatTheUpstreamPutsOnTheFinishingChunk() throws Exception {
        HttpServer llama = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        llama.createContext("/v1/chat/completions", exchange -> {
            exchange.getRequestBody().readAllBytes();
            String body = chunk("{\"role\":\"assistant\",\"content\":\"Hel\"}", "null", "")
                    + chunk("{\"content\":\"lo\"}", "null", "")
                    + chunk(
                            "{}",
                            "\"stop\"",
                            ",\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":7}")
                    + "data: [DONE]\n\n";
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body.getBytes(StandardCharsets.UTF_8));
            }
        });
        llama.start();
        String yaml =
                """
                server: {host: 127.0.0.1, port: 0}
                store: {url: "jdbc:sqlite:%s"}
                providers:
                  llama: {kind: openai, base_url: "http://127.0.0.1:%d/v1", timeout: 5s}
                models:
                  assistant: {kind: chat, provider: llama, upstream_model: llama}
                keys:
                  - {id: app1, tenant: acme, role: app, secret: "app-secret-0123456789abcdef"}
                """.formatted(dir.resolve("airlock.db"), llama.getAddress().getPort());
        try (Airlock node = Airlock.start(new ConfigLoader(name -> null).parse(dir.resolve("airlock.yaml"), yaml))) {
            var streamed = TestHttp.post(
                    node.baseUrl(),
                    "/v1/completions",
                    APP_KEY,
                    "{\"model\":\"assistant\",\"prompt\":\"Say hello\",\"stream\":true,"
                            + "\"stream_options\":{\"include_usage\":true}}");

            assertThat(streamed.statusCode()).as(streamed.body()).isEqualTo(200);
            List<JsonNode> events = streamed.body()
                    .lines()
                    .filter(l -> l.startsWith("data: {"))
                    .map(l -> TestNode.parse(l.substring(6)))
                    .toList();
            assertThat(events).extracting(e -> e.at("/choices/0/text").asText()).contains("Hel", "lo");
            assertThat(events.stream().filter(e -> e.has("usage")))
                    .singleElement()
                    .satisfies(e -> {
                        assertThat(e.at("/usage/prompt_tokens").asInt()).isEqualTo(5);
                        assertThat(e.at("/usage/completion_tokens").asInt()).isEqualTo(2);
                        assertThat(e.at("/usage/total_tokens").asInt()).isEqualTo(7);
                    });
            assertThat(streamed.body()).contains("data: [DONE]");
        } finally {
            llama.stop(0);
        }
    }

    private static void refused(HttpResponse<String> response, String param, String message) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = TestNode.json(response).path("error");
        assertThat(error.path("param").asText()).as(response.body()).isEqualTo(param);
        assertThat(error.path("message").asText()).as(response.body()).contains(message);
    }

    @Test
    void valuesAnUpstreamWouldTakeLeniently_areRefusedWith400_namingParam() {
        try (TestNode node = TestNode.start(dir)) {
            refused(
                    node.post(
                            "/v1/responses",
                            APP_KEY,
                            "{\"model\":\"assistant\",\"input\":\"hi\",\"tools\":[{\"type\":\"function\","
                                    + "\"name\":\"lookup\",\"parameters\":\"x\"}]}"),
                    "tools[0].parameters",
                    "'tools[0].parameters' is \"x\"; expected a JSON Schema object");
            refused(
                    node.post("/v1/responses", APP_KEY, "{\"model\":\"assistant\",\"input\":\"hi\",\"text\":\"abc\"}"),
                    "text",
                    "'text' is \"abc\"; expected an object");
            refused(
                    node.post(
                            "/v1/responses",
                            APP_KEY,
                            "{\"model\":\"assistant\",\"input\":\"hi\",\"text\":{\"format\":\"json\"}}"),
                    "text.format",
                    "'text.format' is \"json\"");
            refused(
                    node.post(
                            "/v1/completions",
                            APP_KEY,
                            "{\"model\":\"assistant\",\"prompt\":\"hi\",\"max_tokens\":-1}"),
                    "max_tokens",
                    "'max_tokens' is -1; expected a whole number of at least 1");
            refused(
                    node.post(
                            "/v1/completions",
                            APP_KEY,
                            "{\"model\":\"assistant\",\"prompt\":\"hi\",\"temperature\":\"hot\"}"),
                    "temperature",
                    "'temperature' is \"hot\"; expected a number from 0 to 2");
            refused(
                    node.post(
                            "/v1/responses",
                            APP_KEY,
                            "{\"model\":\"assistant\",\"input\":[{\"role\":\"user\",\"content\":\"hi\"},"
                                    + "{\"type\":\"function_call_output\",\"call_id\":\"call_9\",\"output\":\"42\"}]}"),
                    "input[1].call_id",
                    "'input[1].call_id' is 'call_9', but no function_call with that call_id comes before it");
            // the same output after the call it answers is served
            var answered = node.post(
                    "/v1/responses",
                    APP_KEY,
                    "{\"model\":\"assistant\",\"input\":[{\"role\":\"user\",\"content\":\"hi\"},"
                            + "{\"type\":\"function_call\",\"call_id\":\"call_9\",\"name\":\"lookup\",\"arguments\":\"{}\"},"
                            + "{\"type\":\"function_call_output\",\"call_id\":\"call_9\",\"output\":\"42\"}]}");
            assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
            assertThat(node.upstream.received()).hasSize(1);
        }
    }
}
