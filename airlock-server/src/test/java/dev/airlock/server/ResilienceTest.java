package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.server.config.ConfigLoader;
import dev.airlock.testkit.FakeOpenAi;
import dev.airlock.testkit.FakeOpenAi.Behaviour;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chaos against two local upstreams that speak OpenAI's protocol: 500s, 429s with Retry-After, hangs, reset
 * connections, malformed JSON, streams that fail before or after their first chunk. Every call ends with an answer or
 * a clear error within its deadline, fallbacks and breaker transitions happen as configured, and the Decision says
 * which target answered, after what, at what cost.
 */
class ResilienceTest {
    private static final String KEY = "ak_app1_app-secret-0123456789abcdef";
    private static final String AUDITOR = "ak_audit1_audit-secret-0123456789abcdef";

    @TempDir
    static Path dir;

    static FakeOpenAi primary;
    static FakeOpenAi secondary;
    static Airlock node;

    @BeforeAll
    static void start() {
        primary = FakeOpenAi.start();
        secondary = FakeOpenAi.start();
        String yaml = """
                server: {port: 0}
                store: {url: "jdbc:sqlite:%s"}
                providers:
                  primary:
                    kind: openai
                    base_url: "%s"
                    timeout: 500ms
                    prices: {gpt-a: {input: 2.50, output: 10.00}}
                    breaker: {window: 1000, min_calls: 1000}
                    lifecycle: {old-model: {deprecated_on: 2020-01-01, retires_on: 2020-06-01}}
                  secondary:
                    kind: openai
                    base_url: "%s"
                    timeout: 500ms
                    prices: {gpt-b: {input: 0.15, output: 0.60}}
                    breaker: {window: 1000, min_calls: 1000}
                  flaky:
                    kind: openai
                    base_url: "%s"
                    timeout: 500ms
                    breaker: {failure_rate: 50, window: 4, min_calls: 4, open_for: 1s}
                models:
                  routed:
                    kind: chat
                    route:
                      - {provider: primary, upstream_model: gpt-a}
                      - {provider: secondary, upstream_model: gpt-b}
                    retry: {attempts: 2, backoff: 10ms, max_backoff: 2s}
                    deadline: 3s
                  patient:
                    kind: chat
                    provider: primary
                    upstream_model: gpt-a
                    retry: {attempts: 3, backoff: 10ms, max_backoff: 2s}
                  retired:
                    kind: chat
                    route:
                      - {provider: primary, upstream_model: old-model}
                      - {provider: secondary, upstream_model: gpt-b}
                  breaking:
                    kind: chat
                    route:
                      - {provider: flaky, upstream_model: gpt-f}
                      - {provider: secondary, upstream_model: gpt-b}
                    retry: {attempts: 1}
                  hung:
                    kind: chat
                    route:
                      - {provider: primary, upstream_model: gpt-a}
                      - {provider: secondary, upstream_model: gpt-b}
                    retry: {attempts: 3, backoff: 10ms}
                    deadline: 1200ms
                keys:
                  - {id: app1, tenant: acme, role: app, secret: "app-secret-0123456789abcdef"}
                  - {id: audit1, tenant: acme, role: auditor, secret: "audit-secret-0123456789abcdef"}
                """.formatted(
                        dir.resolve("airlock.db"),
                        primary.baseUrl(),
                        secondary.baseUrl(),
                        flakyUpstream().baseUrl());
        node = Airlock.start(new ConfigLoader(name -> null).parse(dir.resolve("airlock.yaml"), yaml));
    }

    private static FakeOpenAi flaky;

    private static FakeOpenAi flakyUpstream() {
        flaky = FakeOpenAi.start();
        return flaky;
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        primary.close();
        secondary.close();
        flaky.close();
    }

    @BeforeEach
    void reset() {
        primary.clear();
        secondary.clear();
        flaky.clear();
    }

    private static HttpResponse<String> chat(String model, boolean stream) {
        return TestHttp.post(
                node.baseUrl(),
                "/v1/chat/completions",
                KEY,
                "{\"model\":\"" + model + "\",\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"how are the markets today\"}]}");
    }

    private static JsonNode decisionOf(HttpResponse<String> response) {
        return TestHttp.decisionOf(node.baseUrl(), response, AUDITOR);
    }

    private static List<String> notes(JsonNode decision) {
        return decision.path("notes").findValuesAsText("detail");
    }

    @Test
    void aFailingPrimary_isRetriedThenFallsBack_andTheDecisionSaysSo() {
        primary.always(Behaviour.error(500, "primary down"));

        HttpResponse<String> response = chat("routed", false);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(primary.received()).hasSize(2);
        assertThat(secondary.received()).hasSize(1);
        assertThat(secondary.lastReceived().body().path("model").asText()).isEqualTo("gpt-b");
        JsonNode d = decisionOf(response);
        assertThat(d.path("provider").asText()).isEqualTo("secondary");
        assertThat(d.path("upstream_model").asText()).isEqualTo("gpt-b");
        assertThat(notes(d))
                .anyMatch(n -> n.startsWith("primary/gpt-a attempt 1") && n.contains("500"))
                .anyMatch(n -> n.startsWith("primary/gpt-a attempt 2"))
                .contains("secondary/gpt-b on attempt 1");
    }

    @Test
    void costIsTheAnsweringTargetsPrice_timesTheTokens_computedByHand() {
        HttpResponse<String> response = chat("routed", false);

        JsonNode d = decisionOf(response);
        long in = d.path("usage").path("input_tokens").asLong();
        long out = d.path("usage").path("output_tokens").asLong();
        assertThat(in).isPositive();
        // primary: $2.50 per million in, $10.00 per million out
        BigDecimal expected = new BigDecimal("2.50")
                .multiply(BigDecimal.valueOf(in))
                .add(new BigDecimal("10.00").multiply(BigDecimal.valueOf(out)))
                .divide(BigDecimal.valueOf(1_000_000));
        assertThat(new BigDecimal(d.path("cost_usd").asText())).isEqualByComparingTo(expected);
    }

    @Test
    void a429WithRetryAfter_isHonouredBeforeTheNextAttempt() {
        primary.nextResponses(Behaviour.rateLimited(1));
        long start = System.nanoTime();

        HttpResponse<String> response = chat("patient", false);

        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(primary.received()).hasSize(2);
        assertThat(millis).as("waited for Retry-After: 1").isGreaterThanOrEqualTo(1_000);
    }

    @Test
    void a429AskingForMoreThanTheLongestBackoff_movesToTheNextTargetAtOnce() {
        primary.always(Behaviour.rateLimited(30));
        long start = System.nanoTime();

        HttpResponse<String> response = chat("routed", false);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(primary.received()).hasSize(1);
        assertThat(secondary.received()).hasSize(1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void whenEveryTargetIsRateLimited_theCallerGets429WithRetryAfter() {
        primary.always(Behaviour.rateLimited(1));

        HttpResponse<String> response = chat("patient", false);

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).contains("1");
        assertThat(TestNode.parse(response.body()).path("error").path("code").asText())
                .isEqualTo("upstream_rate_limited");
    }

    @Test
    void aHungUpstream_aResetConnection_andMalformedJson_eachFallBack() {
        for (Behaviour broken :
                List.of(Behaviour.delayed(5_000), Behaviour.connectionReset(), Behaviour.malformedJson())) {
            primary.clear();
            secondary.clear();
            primary.always(broken);
            long start = System.nanoTime();

            HttpResponse<String> response = chat("routed", false);

            assertThat(response.statusCode())
                    .as(broken + ": " + response.body())
                    .isEqualTo(200);
            assertThat(decisionOf(response).path("provider").asText()).isEqualTo("secondary");
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("within the 3 s deadline")
                    .isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void whenEverythingHangs_theCallEndsAtItsDeadlineWith504() {
        primary.always(Behaviour.delayed(5_000));
        secondary.always(Behaviour.delayed(5_000));
        long start = System.nanoTime();

        HttpResponse<String> response = chat("hung", false);

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(took).isLessThan(Duration.ofMillis(1_200 + 700));
        JsonNode d = decisionOf(response);
        assertThat(d.path("outcome").path("label").asText()).isEqualTo("failed");
        assertThat(d.path("outcome").path("code").asText()).isIn("deadline_exceeded", "upstream_timeout");
    }

    @Test
    void aRequestTheUpstreamRejects_isNeitherRetriedNorSentElsewhere() {
        primary.always(Behaviour.error(400, "max_tokens is too large"));

        HttpResponse<String> response = chat("routed", false);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(primary.received()).hasSize(1);
        assertThat(secondary.received()).isEmpty();
    }

    @Test
    void aStreamThatFailsBeforeItsFirstChunk_fallsBack_andCompletes() {
        primary.always(Behaviour.error(503, "overloaded"));

        HttpResponse<String> response = chat("routed", true);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("echo: how are the markets today".split(" ")[1])
                .endsWith("data: [DONE]\n\n");
        assertThat(decisionOf(response).path("provider").asText()).isEqualTo("secondary");
    }

    @Test
    void aStreamCutAfterItsFirstChunk_endsWithAnErrorEvent_andIsNotRetried() {
        primary.always(Behaviour.cutStreamAfter(2));

        HttpResponse<String> response = chat("routed", true);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).doesNotContain("data: [DONE]").contains("\"error\"");
        assertThat(secondary.received()).isEmpty();
        JsonNode d = decisionOf(response);
        assertThat(d.path("outcome").path("label").asText()).isEqualTo("failed");
        // the caller got part of the answer: it is charged to the target that sent it
        assertThat(d.path("provider").asText()).isEqualTo("primary");
        assertThat(d.path("usage").path("output_tokens").asLong()).isPositive();
        assertThat(new BigDecimal(d.path("cost_usd").asText())).isPositive();
    }

    @Test
    void aRetiredTarget_isSkipped() throws Exception {
        HttpResponse<String> response = chat("retired", false);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(primary.received()).isEmpty();
        assertThat(notes(decisionOf(response))).anyMatch(n -> n.contains("retired on 2020-06-01"));
        assertThat(metrics())
                .containsPattern("airlock_target_days_to_retirement\\{model=\"retired\",provider=\"primary\","
                        + "upstream_model=\"old-model\"} -\\d+");
    }

    @Test
    void theBreakerOpensOnADeadUpstream_skipsItWhileOpen_andClosesWhenItRecovers() {
        flaky.always(Behaviour.error(500, "dead"));
        for (int i = 0; i < 4; i++) {
            assertThat(chat("breaking", false).statusCode()).isEqualTo(200);
        }
        int reachedWhileFailing = flaky.received().size();
        assertThat(reachedWhileFailing).isEqualTo(4);

        HttpResponse<String> whileOpen = chat("breaking", false);

        assertThat(whileOpen.statusCode()).isEqualTo(200);
        assertThat(flaky.received())
                .as("an open breaker costs the dead upstream nothing")
                .hasSize(4);
        assertThat(notes(decisionOf(whileOpen))).anyMatch(n -> n.contains("circuit open"));
        assertThat(metrics()).contains("airlock_breaker_state{provider=\"flaky\"} 2.0");

        flaky.always(Behaviour.normal());
        // once open_for (1 s) has passed, a call is let through as a half-open probe
        org.awaitility.Awaitility.await("a half-open probe reaches the recovered upstream")
                .atMost(java.time.Duration.ofSeconds(10))
                .until(() -> chat("breaking", false).statusCode() == 200
                        && flaky.received().size() > 4);
        for (int i = 0; i < 3; i++) {
            assertThat(chat("breaking", false).statusCode()).isEqualTo(200);
        }
        assertThat(flaky.received().size()).as("half-open probes, then closed").isGreaterThan(5);
        assertThat(metrics()).contains("airlock_breaker_state{provider=\"flaky\"} 0.0");
    }

    @Test
    void tokensAreCountedWhenTheUpstreamReportsNone() {
        primary.always(Behaviour.withoutUsage());

        JsonNode d = decisionOf(chat("patient", false));

        // o200k_base: 3 (reply) + 3 (message) + "user" + "how are the markets today", and the echoed answer
        assertThat(d.path("usage").path("input_tokens").asLong()).isBetween(10L, 14L);
        assertThat(d.path("usage").path("output_tokens").asLong()).isBetween(5L, 9L);
        assertThat(new BigDecimal(d.path("cost_usd").asText())).isPositive();
    }

    private static String metrics() {
        return TestHttp.metrics(node.baseUrl());
    }
}
