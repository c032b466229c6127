package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.config.ConfigLoader;
import dev.airlock.testkit.FakeAnthropic;
import dev.airlock.testkit.FakeBedrock;
import dev.airlock.testkit.FakeGemini;
import dev.airlock.testkit.FakeOpenAi;
import dev.airlock.testkit.FakeOpenAi.Behaviour;
import dev.airlock.testkit.FakeUpstream;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The native provider kinds (Anthropic Messages, Google Gemini, AWS Bedrock Converse) through a real node over HTTP,
 * each against a local server speaking that provider's wire format: the caller speaks OpenAI's API throughout, and
 * every kind answers plainly and streamed, round-trips tool calls, records usage and cost in the Decision and the
 * budgets, maps its errors to retryable or not, and falls back across kinds. One suite, every kind.
 */
class NativeProvidersTest {
    private static final String KEY = "ak_app1_app-secret-0123456789abcdef";
    private static final String AUDITOR = "ak_audit1_audit-secret-0123456789abcdef";
    private static final String ANTHROPIC_KEY = "sk-ant-test-0123456789";
    private static final String GEMINI_KEY = "AIza-test-0123456789";
    private static final String AWS_KEY_ID = "AKIDEXAMPLE0001";
    private static final String AWS_SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY";
    private static final String WEATHER_TOOL = """
            [{"type":"function","function":{"name":"get_weather","description":"Weather in a city",
              "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]""";

    @TempDir
    static Path dir;

    static FakeOpenAi openai;
    static FakeAnthropic anthropic;
    static FakeGemini gemini;
    static FakeBedrock bedrock;
    static AirlockConfig config;
    static Airlock node;

    /** Each native kind: the model served by it, its provider's name, and its price per million tokens. */
    enum Kind {
        ANTHROPIC("via-anthropic", "claude", "3.00", "15.00"),
        GEMINI("via-gemini", "gemini", "0.30", "2.50"),
        BEDROCK("via-bedrock", "bedrock", "3.00", "15.00");

        final String model;
        final String provider;
        final BigDecimal input;
        final BigDecimal output;

        Kind(String model, String provider, String input, String output) {
            this.model = model;
            this.provider = provider;
            this.input = new BigDecimal(input);
            this.output = new BigDecimal(output);
        }

        FakeUpstream fake() {
            return switch (this) {
                case ANTHROPIC -> anthropic;
                case GEMINI -> gemini;
                case BEDROCK -> bedrock;
            };
        }

        /** Fails the next request with an error the provider means as "try again". */
        void failRetryably() {
            switch (this) {
                case ANTHROPIC -> anthropic.failNext(529, "overloaded_error", "Overloaded");
                case GEMINI -> gemini.failNext(503, "UNAVAILABLE", "The model is overloaded. Please try again later.");
                case BEDROCK -> bedrock.failNext(429, "ThrottlingException", "Too many requests, please wait.");
            }
        }

        /** Fails the next request with the provider's "this request is wrong". */
        void rejectNext() {
            switch (this) {
                case ANTHROPIC -> anthropic.failNext(400, "invalid_request_error", "temperature: must be at most 1");
                case GEMINI -> gemini.failNext(400, "INVALID_ARGUMENT", "temperature: must be at most 1");
                case BEDROCK -> bedrock.failNext(400, "ValidationException", "temperature: must be at most 1");
            }
        }

        /** Ends the next stream with the provider's overload error, after it opened but before any content. */
        void failNextStream() {
            switch (this) {
                case ANTHROPIC -> anthropic.failNextStream("overloaded_error", "Overloaded");
                case GEMINI -> gemini.failNextStream("UNAVAILABLE", "The model is overloaded.");
                case BEDROCK -> bedrock.failNextStream("throttlingException", "Too many requests");
            }
        }
    }

    @BeforeAll
    static void start() {
        openai = FakeOpenAi.start();
        anthropic = FakeAnthropic.start(ANTHROPIC_KEY);
        gemini = FakeGemini.start(GEMINI_KEY);
        bedrock = FakeBedrock.start("us-east-1", AWS_KEY_ID, AWS_SECRET);
        String yaml = """
                server: {port: 0}
                store: {url: "jdbc:sqlite:%s"}
                providers:
                  openai:
                    kind: openai
                    base_url: "%s"
                    timeout: 2s
                    prices: {gpt-a: {input: 2.50, output: 10.00}}
                    breaker: {window: 1000, min_calls: 1000}
                  claude:
                    kind: anthropic
                    base_url: "%s"
                    api_key: "%s"
                    timeout: 2s
                    prices: {claude-x: {input: 3.00, output: 15.00}}
                    breaker: {window: 1000, min_calls: 1000}
                  gemini:
                    kind: gemini
                    base_url: "%s"
                    api_key: "%s"
                    timeout: 2s
                    prices: {gemini-x: {input: 0.30, output: 2.50}}
                    breaker: {window: 1000, min_calls: 1000}
                  bedrock:
                    kind: bedrock
                    region: us-east-1
                    base_url: "%s"
                    access_key_id: "%s"
                    secret_access_key: "%s"
                    timeout: 2s
                    prices: {"anthropic.claude-x-v1:0": {input: 3.00, output: 15.00}}
                    breaker: {window: 1000, min_calls: 1000}
                  bedrock-wrong-secret:
                    kind: bedrock
                    region: us-east-1
                    base_url: "%7$s"
                    access_key_id: "%8$s"
                    secret_access_key: "not-the-secret-0123456789"
                    breaker: {window: 1000, min_calls: 1000}
                models:
                  via-anthropic: {kind: chat, provider: claude, upstream_model: claude-x, retry: {attempts: 2, backoff: 10ms}}
                  via-gemini: {kind: chat, provider: gemini, upstream_model: gemini-x, retry: {attempts: 2, backoff: 10ms}}
                  via-bedrock:
                    kind: chat
                    provider: bedrock
                    upstream_model: "anthropic.claude-x-v1:0"
                    retry: {attempts: 2, backoff: 10ms}
                  wrongly-signed: {kind: chat, provider: bedrock-wrong-secret, upstream_model: "anthropic.claude-x-v1:0"}
                  openai-then-anthropic:
                    kind: chat
                    route:
                      - {provider: openai, upstream_model: gpt-a}
                      - {provider: claude, upstream_model: claude-x}
                    retry: {attempts: 1}
                  kept-claude:
                    kind: chat
                    provider: claude
                    upstream_model: claude-x
                    retention: {content: full, keep_for: 1h}
                budgets:
                  - {name: anthropic-monthly, model: via-anthropic, period: month, hard: 1000}
                  - {name: gemini-monthly, model: via-gemini, period: month, hard: 1000}
                  - {name: bedrock-monthly, model: via-bedrock, period: month, hard: 1000}
                keys:
                  - {id: app1, tenant: acme, role: app, secret: "app-secret-0123456789abcdef"}
                  - {id: audit1, tenant: acme, role: auditor, secret: "audit-secret-0123456789abcdef"}
                """.formatted(
                        dir.resolve("airlock.db"),
                        openai.baseUrl(),
                        anthropic.baseUrl(),
                        ANTHROPIC_KEY,
                        gemini.baseUrl(),
                        GEMINI_KEY,
                        bedrock.baseUrl(),
                        AWS_KEY_ID,
                        AWS_SECRET);
        config = new ConfigLoader(name -> null).parse(dir.resolve("airlock.yaml"), yaml);
        node = Airlock.start(config);
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        openai.close();
        anthropic.close();
        gemini.close();
        bedrock.close();
    }

    @BeforeEach
    void reset() {
        openai.clear();
        anthropic.clear();
        gemini.clear();
        bedrock.clear();
    }

    private static HttpResponse<String> chat(String model, boolean stream, String messages, String extra) {
        return TestHttp.post(
                node.baseUrl(),
                "/v1/chat/completions",
                KEY,
                "{\"model\":\"" + model + "\",\"stream\":" + stream
                        + (stream ? ",\"stream_options\":{\"include_usage\":true}" : "") + ",\"messages\":" + messages
                        + extra + "}");
    }

    private static HttpResponse<String> ask(String model, boolean stream) {
        return chat(
                model,
                stream,
                "[{\"role\":\"system\",\"content\":\"You are terse.\"},"
                        + "{\"role\":\"user\",\"content\":\"how are the markets today\"}]",
                "");
    }

    private static JsonNode decisionOf(HttpResponse<String> response) {
        return TestHttp.decisionOf(node.baseUrl(), response, AUDITOR);
    }

    /** The data of each server-sent event of a streamed answer, [DONE] last. */
    private static List<String> events(HttpResponse<String> response) {
        List<String> data = new ArrayList<>();
        for (String line : response.body().split("\n")) {
            if (line.startsWith("data: ")) {
                data.add(line.substring(6));
            }
        }
        return data;
    }

    private static List<JsonNode> chunks(HttpResponse<String> response) {
        return events(response).stream()
                .filter(e -> !e.equals("[DONE]"))
                .map(TestNode::parse)
                .toList();
    }

    private static BigDecimal costOf(Kind kind, JsonNode decision) {
        long in = decision.path("usage").path("input_tokens").asLong();
        long out = decision.path("usage").path("output_tokens").asLong();
        return kind.input
                .multiply(BigDecimal.valueOf(in))
                .add(kind.output.multiply(BigDecimal.valueOf(out)))
                .divide(BigDecimal.valueOf(1_000_000));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aPlainAnswer_comesBackInOpenAisShape_withItsUsageAndCostInTheDecisionAndTheBudget(Kind kind) {
        HttpResponse<String> response = ask(kind.model, false);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = TestNode.parse(response.body());
        assertThat(body.path("object").asText()).isEqualTo("chat.completion");
        JsonNode choice = body.path("choices").path(0);
        assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
        assertThat(choice.path("message").path("content").asText()).isEqualTo("echo: how are the markets today");
        assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
        // the fake counts words: "You are terse." and "how are the markets today" are 8 in; the answer 6 out
        assertThat(body.path("usage").path("prompt_tokens").asLong()).isEqualTo(8);
        assertThat(body.path("usage").path("completion_tokens").asLong()).isEqualTo(6);
        assertThat(body.path("usage").path("total_tokens").asLong()).isEqualTo(14);
        JsonNode sent = kind.fake().lastReceived().body();
        switch (kind) {
            case ANTHROPIC -> {
                assertThat(sent.path("system").asText()).isEqualTo("You are terse.");
                assertThat(sent.path("messages")).hasSize(1);
                assertThat(sent.path("max_tokens").asLong()).isEqualTo(4096);
                assertThat(kind.fake().lastReceived().header("anthropic-version"))
                        .isEqualTo("2023-06-01");
            }
            case GEMINI -> {
                assertThat(sent.path("systemInstruction")
                                .path("parts")
                                .path(0)
                                .path("text")
                                .asText())
                        .isEqualTo("You are terse.");
                assertThat(sent.path("contents").path(0).path("role").asText()).isEqualTo("user");
                assertThat(kind.fake().lastReceived().path()).isEqualTo("/v1beta/models/gemini-x:generateContent");
            }
            case BEDROCK -> {
                assertThat(sent.path("system").path(0).path("text").asText()).isEqualTo("You are terse.");
                assertThat(kind.fake().lastReceived().path()).isEqualTo("/model/anthropic.claude-x-v1%3A0/converse");
                assertThat(kind.fake().lastReceived().header("Authorization"))
                        .startsWith("AWS4-HMAC-SHA256 Credential=" + AWS_KEY_ID + "/")
                        .contains("/us-east-1/bedrock/aws4_request");
            }
        }

        JsonNode d = decisionOf(response);
        assertThat(d.path("provider").asText()).isEqualTo(kind.provider);
        assertThat(d.path("usage").path("input_tokens").asLong()).isEqualTo(8);
        assertThat(d.path("usage").path("output_tokens").asLong()).isEqualTo(6);
        BigDecimal cost = new BigDecimal(d.path("cost_usd").asText());
        assertThat(cost).isPositive().isEqualByComparingTo(costOf(kind, d));
        JsonNode budgets = TestNode.parse(
                        TestHttp.get(node.baseUrl(), "/v1/budgets", AUDITOR).body())
                .path("data");
        JsonNode budget = null;
        for (JsonNode b : budgets) {
            if (b.path("name").asText().equals(kind.provider.replace("claude", "anthropic") + "-monthly")) {
                budget = b;
            }
        }
        assertThat(budget).as(budgets.toString()).isNotNull();
        assertThat(new BigDecimal(budget.path("spent_usd").asText())).isGreaterThanOrEqualTo(cost);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aStreamedAnswer_arrivesAsOpenAiChunks_endingWithUsageAndDone(Kind kind) {
        HttpResponse<String> response = ask(kind.model, true);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(events(response).getLast()).isEqualTo("[DONE]");
        List<JsonNode> chunks = chunks(response);
        assertThat(chunks).allSatisfy(c -> assertThat(c.path("object").asText()).isEqualTo("chat.completion.chunk"));
        assertThat(chunks.getFirst()
                        .path("choices")
                        .path(0)
                        .path("delta")
                        .path("role")
                        .asText())
                .isEqualTo("assistant");
        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> text.append(
                c.path("choices").path(0).path("delta").path("content").asText("")));
        assertThat(text.toString()).isEqualTo("echo: how are the markets today");
        assertThat(chunks)
                .anySatisfy(c -> assertThat(
                                c.path("choices").path(0).path("finish_reason").asText())
                        .isEqualTo("stop"));
        JsonNode usage = chunks.getLast().path("usage");
        assertThat(usage.path("prompt_tokens").asLong()).isEqualTo(8);
        assertThat(usage.path("completion_tokens").asLong()).isEqualTo(6);

        JsonNode d = decisionOf(response);
        assertThat(d.path("usage").path("input_tokens").asLong()).isEqualTo(8);
        assertThat(d.path("usage").path("output_tokens").asLong()).isEqualTo(6);
        assertThat(new BigDecimal(d.path("cost_usd").asText())).isEqualByComparingTo(costOf(kind, d));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aToolCall_roundTrips_fromOpenAiToolsToTheNativeShapeAndBack(Kind kind) {
        kind.fake().nextToolCall("get_weather", "{\"city\":\"Paris\"}");
        String question = "[{\"role\":\"user\",\"content\":\"weather in Paris?\"}]";

        HttpResponse<String> call = chat(kind.model, false, question, ",\"tools\":" + WEATHER_TOOL);

        assertThat(call.statusCode()).as(call.body()).isEqualTo(200);
        JsonNode choice = TestNode.parse(call.body()).path("choices").path(0);
        assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
        JsonNode toolCall = choice.path("message").path("tool_calls").path(0);
        assertThat(toolCall.path("type").asText()).isEqualTo("function");
        assertThat(toolCall.path("function").path("name").asText()).isEqualTo("get_weather");
        assertThat(TestNode.parse(toolCall.path("function").path("arguments").asText()))
                .isEqualTo(TestNode.parse("{\"city\":\"Paris\"}"));
        String id = toolCall.path("id").asText();
        assertThat(id).isNotBlank();
        JsonNode sent = kind.fake().lastReceived().body();
        JsonNode schema = switch (kind) {
            case ANTHROPIC -> sent.path("tools").path(0).path("input_schema");
            case GEMINI ->
                sent.path("tools").path(0).path("functionDeclarations").path(0).path("parameters");
            case BEDROCK ->
                sent.path("toolConfig")
                        .path("tools")
                        .path(0)
                        .path("toolSpec")
                        .path("inputSchema")
                        .path("json");
        };
        assertThat(schema.path("properties").path("city").path("type").asText()).isEqualTo("string");

        String conversation = "[{\"role\":\"user\",\"content\":\"weather in Paris?\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[" + toolCall + "]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"" + id + "\",\"content\":\"18 degrees and sunny\"}]";
        HttpResponse<String> answer = chat(kind.model, false, conversation, ",\"tools\":" + WEATHER_TOOL);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode turns = kind.fake().lastReceived().body();
        switch (kind) {
            case ANTHROPIC -> {
                JsonNode use = turns.path("messages").path(1).path("content").path(0);
                assertThat(use.path("type").asText()).isEqualTo("tool_use");
                assertThat(use.path("input").path("city").asText()).isEqualTo("Paris");
                JsonNode result = turns.path("messages").path(2).path("content").path(0);
                assertThat(result.path("type").asText()).isEqualTo("tool_result");
                assertThat(result.path("tool_use_id").asText()).isEqualTo(id);
                assertThat(result.path("content").asText()).isEqualTo("18 degrees and sunny");
            }
            case GEMINI -> {
                assertThat(turns.path("contents").path(1).path("role").asText()).isEqualTo("model");
                assertThat(turns.path("contents")
                                .path(1)
                                .path("parts")
                                .path(0)
                                .path("functionCall")
                                .path("args")
                                .path("city")
                                .asText())
                        .isEqualTo("Paris");
                JsonNode result =
                        turns.path("contents").path(2).path("parts").path(0).path("functionResponse");
                assertThat(result.path("name").asText()).isEqualTo("get_weather");
                assertThat(result.path("response").path("content").asText()).isEqualTo("18 degrees and sunny");
            }
            case BEDROCK -> {
                assertThat(turns.path("messages")
                                .path(1)
                                .path("content")
                                .path(0)
                                .path("toolUse")
                                .path("toolUseId")
                                .asText())
                        .isEqualTo(id);
                JsonNode result =
                        turns.path("messages").path(2).path("content").path(0).path("toolResult");
                assertThat(result.path("toolUseId").asText()).isEqualTo(id);
                assertThat(result.path("content").path(0).path("text").asText()).isEqualTo("18 degrees and sunny");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aStreamedToolCall_arrivesAsOpenAiToolCallDeltas(Kind kind) {
        kind.fake().nextToolCall("get_weather", "{\"city\":\"Paris\"}");

        HttpResponse<String> response = chat(
                kind.model,
                true,
                "[{\"role\":\"user\",\"content\":\"weather in Paris?\"}]",
                ",\"tools\":" + WEATHER_TOOL);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        StringBuilder arguments = new StringBuilder();
        String name = null;
        String finish = null;
        for (JsonNode c : chunks(response)) {
            JsonNode call =
                    c.path("choices").path(0).path("delta").path("tool_calls").path(0);
            if (call.path("function").has("name")) {
                name = call.path("function").path("name").asText();
                assertThat(call.path("id").asText()).isNotBlank();
            }
            arguments.append(call.path("function").path("arguments").asText(""));
            if (c.path("choices").path(0).hasNonNull("finish_reason")) {
                finish = c.path("choices").path(0).path("finish_reason").asText();
            }
        }
        assertThat(name).isEqualTo("get_weather");
        assertThat(TestNode.parse(arguments.toString())).isEqualTo(TestNode.parse("{\"city\":\"Paris\"}"));
        assertThat(finish).isEqualTo("tool_calls");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anOverloadOrThrottle_isRetried_butARejectedRequestIsNot(Kind kind) {
        kind.failRetryably();

        HttpResponse<String> retried = ask(kind.model, false);

        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
        assertThat(kind.fake().received()).hasSize(2);
        assertThat(decisionOf(retried).path("notes").findValuesAsText("detail"))
                .anyMatch(n -> n.startsWith(kind.provider + "/") && n.contains("attempt 1"));

        kind.fake().clear();
        kind.rejectNext();

        HttpResponse<String> rejected = ask(kind.model, false);

        assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(400);
        assertThat(kind.fake().received()).hasSize(1);
        JsonNode error = TestNode.parse(rejected.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("message").asText()).contains("temperature: must be at most 1");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anOverloadInsideAStream_beforeAnyContent_isRetried(Kind kind) {
        kind.failNextStream();

        HttpResponse<String> response = ask(kind.model, true);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(kind.fake().received()).hasSize(2);
        StringBuilder text = new StringBuilder();
        chunks(response)
                .forEach(c -> text.append(
                        c.path("choices").path(0).path("delta").path("content").asText("")));
        assertThat(text.toString()).isEqualTo("echo: how are the markets today");
    }

    @Test
    void aFailingOpenAiUpstream_fallsBackToAnthropic_andTheCallerStillReadsOpenAisShape() {
        openai.always(Behaviour.error(500, "primary down"));
        anthropic.answerPrefix("claude: ");

        HttpResponse<String> plain = ask("openai-then-anthropic", false);
        HttpResponse<String> streamed = ask("openai-then-anthropic", true);

        assertThat(plain.statusCode()).as(plain.body()).isEqualTo(200);
        JsonNode body = TestNode.parse(plain.body());
        assertThat(body.path("object").asText()).isEqualTo("chat.completion");
        assertThat(body.path("choices").path(0).path("message").path("content").asText())
                .isEqualTo("claude: how are the markets today");
        JsonNode d = decisionOf(plain);
        assertThat(d.path("provider").asText()).isEqualTo("claude");
        assertThat(d.path("upstream_model").asText()).isEqualTo("claude-x");
        assertThat(d.path("notes").findValuesAsText("detail"))
                .anyMatch(n -> n.startsWith("openai/gpt-a attempt 1") && n.contains("500"))
                .contains("claude/claude-x on attempt 1");
        assertThat(new BigDecimal(d.path("cost_usd").asText())).isEqualByComparingTo(costOf(Kind.ANTHROPIC, d));

        assertThat(streamed.statusCode()).isEqualTo(200);
        assertThat(chunks(streamed))
                .allSatisfy(c -> assertThat(c.path("object").asText()).isEqualTo("chat.completion.chunk"));
        assertThat(decisionOf(streamed).path("provider").asText()).isEqualTo("claude");
        assertThat(openai.received()).hasSize(2);
        assertThat(anthropic.received()).hasSize(2);
    }

    @Test
    void theResponsesApi_worksOverAnthropic() {
        HttpResponse<String> answer = TestHttp.post(
                node.baseUrl(),
                "/v1/responses",
                KEY,
                "{\"model\":\"kept-claude\",\"input\":\"Is the file complete?\",\"instructions\":\"Answer briefly.\"}");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode response = TestNode.parse(answer.body());
        assertThat(response.path("object").asText()).isEqualTo("response");
        assertThat(response.path("status").asText()).isEqualTo("completed");
        assertThat(response.path("output")
                        .path(0)
                        .path("content")
                        .path(0)
                        .path("text")
                        .asText())
                .isEqualTo("echo: Is the file complete?");
        assertThat(response.path("usage").path("input_tokens").asLong()).isEqualTo(6);
        assertThat(anthropic.lastReceived().body().path("system").asText()).isEqualTo("Answer briefly.");
    }

    @Test
    void anUpstreamErrorEchoingTheKey_reachesTheCallerWithTheKeyBlankedOut() {
        anthropic.failNext(400, "invalid_request_error", "header x-api-key: " + ANTHROPIC_KEY + " is malformed");

        HttpResponse<String> response = ask("via-anthropic", false);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).doesNotContain(ANTHROPIC_KEY).contains("[redacted]");
        assertThat(decisionOf(response).toString()).doesNotContain(ANTHROPIC_KEY);
        assertThat(config.providers().toString())
                .doesNotContain(ANTHROPIC_KEY)
                .doesNotContain(GEMINI_KEY)
                .doesNotContain(AWS_SECRET);
    }

    @Test
    void aRequestSignedWithTheWrongSecret_isRefusedByBedrock_andNotRetried() {
        HttpResponse<String> response = ask("wrongly-signed", false);

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(bedrock.received()).hasSize(1);
        JsonNode error = TestNode.parse(response.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("upstream_error");
        assertThat(error.path("message").asText())
                .contains("403")
                .contains("InvalidSignatureException")
                .doesNotContain("not-the-secret");
    }
}
