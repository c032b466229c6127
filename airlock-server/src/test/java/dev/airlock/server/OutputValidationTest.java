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

    @Test
    void afterRepairs_theResponseUsageIsTheTotalCharged_withEachAttemptListed() {
        upstream.nextAnswers("not json", "still not json", "{\"amount\": 120, \"approved\": true}");

        HttpResponse<String> r = extract();

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode decision = TestHttp.decisionOf(node.baseUrl(), r, AUDITOR);
        JsonNode usage = TestNode.json(r).path("usage");
        assertThat(usage.path("prompt_tokens").asLong())
                .isEqualTo(decision.path("usage").path("input_tokens").asLong());
        assertThat(usage.path("completion_tokens").asLong())
                .isEqualTo(decision.path("usage").path("output_tokens").asLong());
        assertThat(usage.path("total_tokens").asLong())
                .isEqualTo(usage.path("prompt_tokens").asLong()
                        + usage.path("completion_tokens").asLong());
        assertThat(r.headers().firstValue("x-airlock-attempts")).hasValue("3");
        JsonNode attempts = TestNode.json(r).path("x_airlock_attempts");
        assertThat(attempts).hasSize(3);
        long promptSum = 0;
        long completionSum = 0;
        for (JsonNode a : attempts) {
            promptSum += a.path("prompt_tokens").asLong();
            completionSum += a.path("completion_tokens").asLong();
        }
        assertThat(promptSum).isEqualTo(usage.path("prompt_tokens").asLong());
        assertThat(completionSum).isEqualTo(usage.path("completion_tokens").asLong());
        assertThat(attempts.path(0).path("completion_tokens").asLong()).isEqualTo(FakeOpenAi.tokens("not json"));
    }

    @Test
    void anAnswerAtOnce_saysOneAttempt_andKeepsTheUpstreamUsage() {
        upstream.nextAnswers("{\"amount\": 120, \"approved\": true}");

        HttpResponse<String> r = extract();

        assertThat(r.headers().firstValue("x-airlock-attempts")).hasValue("1");
        assertThat(TestNode.json(r).has("x_airlock_attempts")).isFalse();
    }

    @Test
    void aSchemaWithAnInvalidKeywordValue_is400BeforeAnyUpstreamCall() {
        HttpResponse<String> r = extractWith("{\"type\":\"object\",\"properties\":{\"amount\":{\"type\":\"strnig\"}}}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode error = TestNode.json(r).path("error");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("param").asText())
                .as(r.body())
                .isEqualTo("response_format.json_schema.schema.properties.amount.type");
        assertThat(error.path("message").asText()).contains("not a valid JSON Schema");
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void aSchemaWithAnUnresolvableRef_is400BeforeAnyUpstreamCall() {
        HttpResponse<String> r =
                extractWith("{\"type\":\"object\",\"properties\":{\"amount\":{\"$ref\":\"#/$defs/money\"}}}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode error = TestNode.json(r).path("error");
        assertThat(error.path("param").asText()).startsWith("response_format.json_schema.schema");
        assertThat(error.path("message").asText()).contains("money");
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void aSchemaWithARemoteRef_is400_andNothingIsFetched() {
        HttpResponse<String> r = extractWith("{\"type\":\"object\",\"properties\":{\"amount\":{\"$ref\":\""
                + upstream.baseUrl() + "/schema.json\"}}}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void aSchemaNamingAClassPathResource_is400_andReadsNothingOfTheServer() {
        HttpResponse<String> r =
                extractWith("{\"type\":\"object\",\"properties\":{\"amount\":{\"$ref\":\"classpath:openapi.yaml\"}}}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(TestNode.json(r).path("error").path("message").asText()).contains("classpath:openapi.yaml");
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void aSchemaWithADynamicRefOutsideIt_is400BeforeAnyUpstreamCall() {
        HttpResponse<String> r = extractWith("{\"type\":\"object\",\"properties\":{\"amount\":{\"$dynamicRef\":\""
                + upstream.baseUrl() + "/schema.json#meta\"}}}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(TestNode.json(r).path("error").path("param").asText())
                .isEqualTo("response_format.json_schema.schema.properties.amount.$dynamicRef");
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void aSchemaThatRefersToItselfForTheSameValue_is400BeforeAnyUpstreamCall() {
        for (String schema : new String[] {
            "{\"$ref\":\"#\"}",
            "{\"$defs\":{\"a\":{\"allOf\":[{\"$ref\":\"#/$defs/b\"}]},\"b\":{\"anyOf\":[{\"$ref\":\"#/$defs/a\"}]}},"
                    + "\"type\":\"object\",\"properties\":{\"amount\":{\"$ref\":\"#/$defs/a\"}}}"
        }) {
            upstream.clear();
            upstream.nextAnswers("{\"amount\": 120}");

            HttpResponse<String> r = extractWith(schema);

            assertThat(r.statusCode()).as(schema + " -> " + r.body()).isEqualTo(400);
            assertThat(TestNode.json(r).path("error").path("message").asText()).contains("would never end");
            assertThat(upstream.received()).as(schema).isEmpty();
        }
    }

    @Test
    void aSchemaNestedTooDeep_is400_notAServerError() {
        StringBuilder schema = new StringBuilder();
        int levels = 480; // each level is two JSON levels: the request stays within the JSON parser's 1000
        schema.append("{\"type\":\"object\",\"properties\":{\"a\":".repeat(levels));
        schema.append("{\"type\":\"integer\"}").append("}}".repeat(levels));

        HttpResponse<String> r = extractWith(schema.toString());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(TestNode.json(r).path("error").path("message").asText()).contains("deeper than");
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void recursiveSchemasThatDescendIntoTheAnswer_andDraft07Definitions_areAccepted() {
        String linkedList = "{\"$defs\":{\"node\":{\"type\":\"object\",\"properties\":{\"amount\":{\"type\":"
                + "\"integer\"},\"next\":{\"$ref\":\"#/$defs/node\"}}}},\"$ref\":\"#/$defs/node\"}";
        String draft07 = "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"definitions\":{\"money\":"
                + "{\"type\":\"integer\"}},\"type\":\"object\",\"properties\":{\"amount\":{\"$ref\":"
                + "\"#/definitions/money\"}},\"required\":[\"amount\"]}";
        for (String schema : new String[] {linkedList, draft07}) {
            upstream.clear();
            upstream.nextAnswers("{\"amount\": 120, \"next\": {\"amount\": 5}}");

            HttpResponse<String> r = extractWith(schema);

            assertThat(r.statusCode()).as(schema + " -> " + r.body()).isEqualTo(200);
            assertThat(upstream.received()).hasSize(1);
        }
    }

    private static HttpResponse<String> extractWith(String schema) {
        return TestHttp.post(
                node.baseUrl(),
                "/v1/chat/completions",
                APP,
                "{\"model\":\"extractor\",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":"
                        + "{\"name\":\"refund\",\"schema\":" + schema + "}},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"refund 120 EUR\"}]}");
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
