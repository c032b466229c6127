package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.testkit.FakeOpenAi;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Structured answers checked against the caller's JSON Schema, repaired a bounded number of times, or refused. */
class OutputValidationTest {
    private static final String APP = TestNode.APP_KEY;
    private static final String AUDITOR = TestNode.AUDITOR_KEY;
    private static final String FORMAT =
            "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"refund\","
                    + "\"schema\":{\"type\":\"object\",\"required\":[\"amount\",\"approved\"],\"properties\":{\"amount\":"
                    + "{\"type\":\"integer\"},\"approved\":{\"type\":\"boolean\"}},\"additionalProperties\":false}}},";

    @TempDir
    static Path dir;

    static FakeOpenAi upstream;
    static Airlock node;

    @BeforeAll
    static void start() {
        upstream = FakeOpenAi.start();
        node = TestNode.startAgainst(dir, upstream, """
                models:
                  extractor: {kind: chat, provider: up, output: {validate: true, max_repairs: 2}}
                keys:
                  - {id: app1, tenant: acme, role: app, secret: "app-secret-0123456789abcdef"}
                  - {id: audit1, tenant: acme, role: auditor, secret: "audit-secret-0123456789abcdef"}
                """);
    }

    @AfterAll
    static void stop() {
        node.close();
        upstream.close();
    }

    @BeforeEach
    void clear() {
        upstream.clear();
    }

    @Test
    void aValidAnswer_passesAtOnce() {
        upstream.nextAnswers("{\"amount\": 120, \"approved\": true}");

        HttpResponse<String> r = extract();

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(upstream.received()).hasSize(1);
        assertThat(TestHttp.decisionOf(node.baseUrl(), r, AUDITOR).path("notes").toString())
                .contains("matches the requested json_schema");
    }

    @Test
    void anInvalidAnswer_isSentBackWithTheErrors_andTheRepairedOneIsReturned_withEveryAttemptCounted() {
        upstream.nextAnswers("{\"amount\": \"a lot\"}", "```json\n{\"amount\": 120, \"approved\": false}\n```");

        HttpResponse<String> r = extract();

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(TestNode.json(r)
                        .path("choices")
                        .path(0)
                        .path("message")
                        .path("content")
                        .asText())
                .contains("\"approved\": false");
        assertThat(upstream.received()).hasSize(2);
        JsonNode retry = upstream.lastReceived().body().path("messages");
        assertThat(retry.get(retry.size() - 2).path("content").asText()).isEqualTo("{\"amount\": \"a lot\"}");
        assertThat(retry.get(retry.size() - 1).path("content").asText())
                .contains("did not match the required JSON schema")
                .contains("amount");
        JsonNode decision = TestHttp.decisionOf(node.baseUrl(), r, AUDITOR);
        assertThat(decision.path("notes").toString()).contains("repair").contains("attempt 1");
        long firstCallTokens = FakeOpenAi.tokens("{\"amount\": \"a lot\"}");
        assertThat(decision.path("usage").path("output_tokens").asLong()).isGreaterThan(firstCallTokens);
    }

    @Test
    void anAnswerStillInvalidAfterTheRepairs_isRefusedWith422() {
        upstream.nextAnswers("not json", "still not json", "nope");

        HttpResponse<String> r = extract();

        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(TestNode.json(r).path("error").path("code").asText()).isEqualTo("output_invalid");
        assertThat(r.body()).contains("after 2 repair attempt(s)");
        assertThat(upstream.received()).hasSize(3);
    }

    private static HttpResponse<String> extract() {
        return TestHttp.post(
                node.baseUrl(),
                "/v1/chat/completions",
                APP,
                "{\"model\":\"extractor\"," + FORMAT
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"refund 120 EUR for order 7\"}]}");
    }
}
