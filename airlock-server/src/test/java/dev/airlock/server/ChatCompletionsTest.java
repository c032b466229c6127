package dev.airlock.server;

import static dev.airlock.server.TestNode.APP_KEY;
import static dev.airlock.server.TestNode.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.decision.Decision;
import dev.airlock.decision.Outcome;
import dev.airlock.store.Store;
import dev.airlock.testkit.FakeOpenAi;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class ChatCompletionsTest extends NodeTest {
    private static Map<String, Object> chat(String text) {
        return Map.of("model", "assistant", "messages", List.of(Map.of("role", "user", "content", text)));
    }

    @Test
    void answersInOpenAiFormat_andRecordsTheDecision() {
        HttpResponse<String> response = node.post("/v1/chat/completions", APP_KEY, chat("What is a credit score?"));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.path("object").asText()).isEqualTo("chat.completion");
        assertThat(body.path("choices").path(0).path("message").path("content").asText())
                .isEqualTo("echo: What is a credit score?");
        assertThat(body.path("usage").path("prompt_tokens").asInt()).isEqualTo(5);
        assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(6);
        String decisionId =
                response.headers().firstValue("x-airlock-decision-id").orElseThrow();

        try (Store store = node.openStore()) {
            Decision decision = store.decisionLog().findDecision(decisionId).orElseThrow();
            assertThat(decision.outcome()).isInstanceOf(Outcome.Answered.class);
            assertThat(decision.principal().tenant()).isEqualTo("acme");
            assertThat(decision.principal().keyId()).isEqualTo("app1");
            assertThat(decision.model()).isEqualTo("assistant");
            assertThat(decision.modelVersion()).isEqualTo("7");
            assertThat(decision.provider()).isEqualTo("upstream");
            assertThat(decision.usage().inputTokens()).isEqualTo(5);
            assertThat(decision.usage().outputTokens()).isEqualTo(6);
            assertThat(decision.inputSha256()).hasSize(64);
            assertThat(decision.outputSha256()).hasSize(64);
        }
    }

    @Test
    void forwardsToTheUpstreamModelName_withTheProviderKey_andPassesOptionsThrough() {
        var request = new HashMap<String, Object>(chat("hi"));
        request.put("temperature", 0.2);
        request.put("response_format", Map.of("type", "json_object"));

        node.post("/v1/chat/completions", APP_KEY, request);

        FakeOpenAi.Received received = node.upstream.lastReceived();
        assertThat(received.body().path("model").asText()).isEqualTo("gpt-upstream");
        assertThat(received.header("Authorization")).isEqualTo("Bearer sk-upstream-secret");
        assertThat(received.body().path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(received.body().path("response_format").path("type").asText())
                .isEqualTo("json_object");
        assertThat(received.body().has("stream")).isFalse();
    }

    @Test
    void acceptsContentParts_andAssistantMessagesWithoutContent() {
        var body = Map.of(
                "model",
                "assistant",
                "messages",
                List.of(
                        Map.of("role", "system", "content", List.of(Map.of("type", "text", "text", "Be brief."))),
                        new HashMap<>(Map.of("role", "assistant")),
                        Map.of("role", "user", "content", "ok?")));

        HttpResponse<String> response = node.post("/v1/chat/completions", APP_KEY, body);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(node.upstream
                        .lastReceived()
                        .body()
                        .path("messages")
                        .path(0)
                        .path("content")
                        .isArray())
                .isTrue();
    }

    @Test
    void streamsServerSentEvents_endingWithDone() {
        var body = new HashMap<String, Object>(chat("stream this please"));
        body.put("stream", true);

        HttpResponse<String> response = node.post("/v1/chat/completions", APP_KEY, body);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        List<String> events = dataLines(response.body());
        assertThat(events.getLast()).isEqualTo("[DONE]");
        StringBuilder text = new StringBuilder();
        for (String event : events.subList(0, events.size() - 1)) {
            JsonNode chunk = TestNode.parse((event));
            assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(chunk.path("choices").isEmpty())
                    .as("no usage-only chunk unless asked")
                    .isFalse();
            text.append(
                    chunk.path("choices").path(0).path("delta").path("content").asText(""));
        }
        assertThat(text.toString()).isEqualTo("echo: stream this please");
        assertThat(node.upstream
                        .lastReceived()
                        .body()
                        .path("stream_options")
                        .path("include_usage")
                        .asBoolean())
                .as("Airlock always asks the upstream for usage, for its own records")
                .isTrue();
    }

    @Test
    void streamsTheUsageChunk_whenTheCallerAsksForIt_andRecordsUsage() {
        var body = new HashMap<String, Object>(chat("count my tokens"));
        body.put("stream", true);
        body.put("stream_options", Map.of("include_usage", true));

        HttpResponse<String> response = node.post("/v1/chat/completions", APP_KEY, body);

        List<String> events = dataLines(response.body());
        JsonNode usageChunk = TestNode.parse((events.get(events.size() - 2)));
        assertThat(usageChunk.path("choices").isEmpty()).isTrue();
        assertThat(usageChunk.path("usage").path("prompt_tokens").asInt()).isEqualTo(3);
        assertThat(usageChunk.path("usage").path("completion_tokens").asInt()).isEqualTo(4);
        String id = response.headers().firstValue("x-airlock-decision-id").orElseThrow();
        try (Store store = node.openStore()) {
            Decision decision = store.decisionLog().findDecision(id).orElseThrow();
            assertThat(decision.stream()).isTrue();
            assertThat(decision.usage().inputTokens()).isEqualTo(3);
            assertThat(decision.usage().outputTokens()).isEqualTo(4);
        }
    }

    @Test
    void aStreamCutMidway_endsWithAnErrorEvent_notDone_andIsRecordedAsFailed() {
        node.upstream.nextResponses(FakeOpenAi.Behaviour.cutStreamAfter(2));
        var body = new HashMap<String, Object>(chat("one two three four five"));
        body.put("stream", true);

        HttpResponse<String> response = node.post("/v1/chat/completions", APP_KEY, body);

        assertThat(response.statusCode()).isEqualTo(200);
        List<String> events = dataLines(response.body());
        assertThat(events).doesNotContain("[DONE]");
        JsonNode last = TestNode.parse((events.getLast()));
        assertThat(last.path("error").path("code").asText()).isEqualTo("upstream_unreachable");
        assertThat(last.path("error").path("message").asText()).contains("[DONE] never came");
        String id = response.headers().firstValue("x-airlock-decision-id").orElseThrow();
        try (Store store = node.openStore()) {
            assertThat(store.decisionLog().findDecision(id).orElseThrow().outcome())
                    .isInstanceOf(Outcome.Failed.class);
        }
    }

    @Test
    void aStreamThatStallsLongerThanTheTimeout_isCutWithAnErrorEvent() {
        node.upstream.nextResponses(FakeOpenAi.Behaviour.stallStreamAfter(1, 6_000));
        var body = new HashMap<String, Object>(chat("one two three"));
        body.put("stream", true);

        long start = System.nanoTime();
        HttpResponse<String> response = node.post("/v1/chat/completions", APP_KEY, body);
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;

        List<String> events = dataLines(response.body());
        assertThat(events).doesNotContain("[DONE]");
        assertThat(TestNode.parse(events.getLast())
                        .path("error")
                        .path("message")
                        .asText())
                .contains("stalled");
        assertThat(seconds)
                .as("cut by the 2 s timeout, not by the upstream's 6 s silence")
                .isLessThan(6);
    }

    @Test
    void aStreamThatFailsBeforeTheFirstChunk_getsAnOrdinaryErrorResponse() {
        node.upstream.always(FakeOpenAi.Behaviour.error(503, "overloaded"));
        var body = new HashMap<String, Object>(chat("hello"));
        body.put("stream", true);

        HttpResponse<String> response = node.post("/v1/chat/completions", APP_KEY, body);

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(json(response).path("error").path("message").asText())
                .contains("503")
                .contains("overloaded");
    }

    private static List<String> dataLines(String sse) {
        List<String> data = new ArrayList<>();
        for (String line : sse.split("\n")) {
            if (line.startsWith("data: ")) {
                data.add(line.substring(6));
            }
        }
        return data;
    }

    @Test
    void aCallerWhoHangsUpMidStream_isRecordedAsDisconnected_andChargedForWhatWasSent() throws Exception {
        node.upstream.always(FakeOpenAi.Behaviour.slowStream(200));
        var uri = URI.create(node.url("/v1/chat/completions"));
        String body = "{\"model\":\"assistant\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"one two three four five six seven eight nine ten\"}]}";
        String id;
        try (var socket = new Socket(uri.getHost(), uri.getPort())) {
            var out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + APP_KEY
                            + "\r\nContent-Type: application/json\r\nContent-Length: "
                            + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String headerId = null;
            String line;
            while ((line = in.readLine()) != null && !line.startsWith("data:")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("x-airlock-decision-id:")) {
                    headerId = line.substring(line.indexOf(':') + 1).strip();
                }
            }
            assertThat(line).as("the first chunk arrived").startsWith("data:");
            id = headerId;
        } // the caller hangs up here, with most of the answer still to come
        assertThat(id).isNotNull();

        String decisionId = id;
        Decision recorded = Awaitility.await("the Decision of the abandoned stream")
                .atMost(Duration.ofSeconds(10))
                .until(
                        () -> {
                            try (Store store = node.openStore()) {
                                return store.decisionLog().findDecision(decisionId);
                            }
                        },
                        Optional::isPresent)
                .orElseThrow();

        assertThat(recorded.outcome()).isInstanceOf(Outcome.Failed.class);
        var stop = ((Outcome.Failed) recorded.outcome()).stop();
        assertThat(stop.status()).isEqualTo(499);
        assertThat(stop.code()).isEqualTo("client_disconnected");
        assertThat(recorded.usage().outputTokens())
                .as("what was sent is charged")
                .isPositive();
    }
}
