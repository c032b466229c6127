package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.server.config.ConfigLoader;
import dev.airlock.testkit.FakeOpenAi;
import dev.airlock.testkit.FakeOpenAi.Behaviour;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.awaitility.Awaitility;
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
                  patient-primary:
                    kind: openai
                    base_url: "%2$s"
                    timeout: 30s
                    prices: {gpt-a: {input: 2.50, output: 10.00}}
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
                  shares-deadline:
                    kind: chat
                    route:
                      - {provider: patient-primary, upstream_model: gpt-a}
                      - {provider: secondary, upstream_model: gpt-b}
                    deadline: 2s
                  bounded-attempts:
                    kind: chat
                    route:
                      - {provider: patient-primary, upstream_model: gpt-a}
                      - {provider: secondary, upstream_model: gpt-b}
                    deadline: 8s
                    attempt_timeout: 300ms
                  short-deadline:
                    kind: chat
                    provider: patient-primary
                    upstream_model: gpt-a
                    deadline: 1s
                  streams-to-deadline:
                    kind: chat
                    provider: patient-primary
                    upstream_model: gpt-a
                    deadline: 1500ms
                  abandoned:
                    kind: chat
                    provider: primary
                    upstream_model: gpt-a
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

        HttpResponse<String> response = chat("routed", false);

        // that it does not wait at all is asserted on fake time by
        // InvokeTimingTest.aRetryAfterLongerThanTheLongestBackoff_movesToTheNextTarget_withoutWaiting
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(primary.received()).hasSize(1);
        assertThat(secondary.received()).hasSize(1);
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

            HttpResponse<String> response = chat("routed", false);

            // a 200 is an answer within the 3 s deadline; the shares of it are exact in InvokeTimingTest
            assertThat(response.statusCode())
                    .as(broken + ": " + response.body())
                    .isEqualTo(200);
            assertThat(decisionOf(response).path("provider").asText()).isEqualTo("secondary");
        }
    }

    @Test
    void whenEverythingHangs_theCallEndsAtItsDeadlineWith504() {
        primary.always(Behaviour.delayed(5_000));
        secondary.always(Behaviour.delayed(5_000));

        HttpResponse<String> response = chat("hung", false);

        // the deadline firing exactly is InvokeTimingTest.theDeadline_endsAHungCallExactlyWhenItPasses; here: it is
        // wired. Past the primary's 500 ms timeout, a third 500 ms attempt cannot start before the 1.2 s deadline,
        // however slow the machine: only the deadline keeps the retry policy from making it.
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(secondary.received()).as("attempts within the deadline").hasSizeLessThan(3);
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
                .contains("airlock_target_retirement_timestamp_seconds{model=\"retired\",provider=\"primary\","
                        + "upstream_model=\"old-model\"} 1.5909696E9"); // 2020-06-01T00:00Z
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
        assertThat(metrics()).contains("airlock_breaker_state{provider=\"flaky\",upstream_model=\"gpt-f\"} 2.0");

        flaky.always(Behaviour.normal());
        // once open_for (1 s) has passed, a call is let through as a half-open probe
        Awaitility.await("a half-open probe reaches the recovered upstream")
                .atMost(Duration.ofSeconds(10))
                .until(() -> chat("breaking", false).statusCode() == 200
                        && flaky.received().size() > 4);
        for (int i = 0; i < 3; i++) {
            assertThat(chat("breaking", false).statusCode()).isEqualTo(200);
        }
        assertThat(flaky.received().size()).as("half-open probes, then closed").isGreaterThan(5);
        assertThat(metrics()).contains("airlock_breaker_state{provider=\"flaky\",upstream_model=\"gpt-f\"} 0.0");
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

    @Test
    void aSlowUpstream_getsTheModelsDeadline_andTheErrorNamesTheDeadline() {
        primary.always(Behaviour.delayed(5_000));

        HttpResponse<String> response = chat("short-deadline", false);

        // the provider allows 30 s and the upstream takes 5 s: only the model's deadline ends the call with this code
        assertThat(response.statusCode()).isEqualTo(504);
        JsonNode error = TestNode.parse(response.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("deadline_exceeded");
        assertThat(error.path("message").asText())
                .contains("deadline of 1000 ms (models.short-deadline.deadline)")
                .doesNotContain("30000");
    }

    @Test
    void whenTheProvidersTimeoutFires_theErrorNamesTheProvidersTimeout() {
        primary.always(Behaviour.delayed(5_000));

        HttpResponse<String> response = chat("patient", false);

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(TestNode.parse(response.body()).path("error").path("message").asText())
                .contains("its timeout of 500 ms (providers.primary.timeout)");
    }

    @Test
    void aHangingPrimary_leavesTheFallbackItsShareOfTheDeadline() {
        primary.always(Behaviour.delayed(10_000));

        HttpResponse<String> response = chat("shares-deadline", false);

        // a 200 is an answer within the 2 s deadline; the exact shares are
        // InvokeTimingTest.eachTargetGetsAnEqualShareOfWhatIsLeft_soAHungOneLeavesTheFallbackItsTurn
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(primary.received())
                .as("a hung target is not waited on twice")
                .hasSize(1);
        assertThat(secondary.received()).hasSize(1);
        JsonNode d = decisionOf(response);
        assertThat(d.path("provider").asText()).isEqualTo("secondary");
        assertThat(notes(d))
                .anyMatch(n -> n.startsWith("patient-primary/gpt-a attempt 1")
                        && n.contains("that is the per-attempt limit")
                        && n.contains("models.shares-deadline.attempt_timeout"));
    }

    @Test
    void aStreamWhosePrimaryHangs_fallsBackWithinItsShareOfTheDeadline() {
        primary.always(Behaviour.delayed(10_000));

        HttpResponse<String> response = chat("shares-deadline", true);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).endsWith("data: [DONE]\n\n");
        assertThat(decisionOf(response).path("provider").asText()).isEqualTo("secondary");
    }

    @Test
    void aStreamWhosePrimaryAnswersHeadersButNeverAChunk_fallsBackWithinTheAttemptTimeout() {
        primary.always(Behaviour.silentStream(20_000)); // 200 and its headers at once, then nothing
        long start = System.nanoTime();

        HttpResponse<String> response = chat("bounded-attempts", true);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).endsWith("data: [DONE]\n\n");
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("300 ms for the primary to start its stream, not the whole 8 s deadline")
                .isLessThan(Duration.ofMillis(5_000));
        JsonNode d = decisionOf(response);
        assertThat(d.path("provider").asText()).isEqualTo("secondary");
        assertThat(notes(d))
                .anyMatch(n -> n.contains("300 ms") && n.contains("models.bounded-attempts.attempt_timeout"));
    }

    @Test
    void aStreamWhoseUpstreamDropsTheConnectionMidBody_endsWithAnErrorInWords() {
        primary.always(Behaviour.dropStreamAfter(2));

        HttpResponse<String> response = chat("routed", true);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("echo:").doesNotContain("[DONE]");
        List<String> events = List.of(response.body().split("\n\n"));
        JsonNode error =
                TestNode.parse(events.getLast().substring("data: ".length())).path("error");
        assertThat(error.path("code").asText()).isEqualTo("upstream_unreachable");
        assertThat(error.path("message").asText())
                .contains("upstream 'primary'")
                .contains("closed the connection")
                .doesNotContain("Exception")
                .doesNotContain("@")
                .doesNotContain("127.0.0.1");
        assertThat(notes(decisionOf(response))).noneMatch(n -> n.contains("HttpConnection") || n.contains("@"));
    }

    @Test
    void anAttemptTimeout_boundsEachAttempt_andTheNotesNameIt() {
        primary.always(Behaviour.delayed(10_000));

        HttpResponse<String> response = chat("bounded-attempts", false);

        // the notes say the 300 ms limit, not the 4 s share, ended the primary's attempt; the exact limits are
        // InvokeTimingTest.aConfiguredAttemptTimeout_boundsEachAttempt_andNeverPassesWhatIsLeft
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(notes(decisionOf(response)))
                .anyMatch(n -> n.contains("300 ms")
                        && n.contains("that is the per-attempt timeout (models.bounded-attempts.attempt_timeout)"));
    }

    @Test
    void aStreamStillRunningAtItsDeadline_isCutWithAnErrorEvent_andChargedForWhatWasSent() {
        primary.always(Behaviour.drippingStream(100)); // never silent long enough for the 30 s timeout
        long start = System.nanoTime();

        HttpResponse<String> response = chat("streams-to-deadline", true);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1_500 + 2_000));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("echo:").doesNotContain("[DONE]");
        List<String> events = List.of(response.body().split("\n\n"));
        JsonNode error =
                TestNode.parse(events.getLast().substring("data: ".length())).path("error");
        assertThat(error.path("code").asText()).isEqualTo("deadline_exceeded");
        assertThat(error.path("message").asText()).contains("models.streams-to-deadline.deadline");
        JsonNode d = decisionOf(response);
        assertThat(d.path("outcome").path("label").asText()).isEqualTo("failed");
        assertThat(d.path("outcome").path("code").asText()).isEqualTo("deadline_exceeded");
        assertThat(d.path("provider").asText()).isEqualTo("patient-primary");
        assertThat(d.path("usage").path("output_tokens").asLong()).isPositive();
        assertThat(new BigDecimal(d.path("cost_usd").asText())).isPositive();
        assertThat(d.path("notes").findValuesAsText("verdict")).contains("usage_estimated");
    }

    @Test
    void aCallerWhoHangsUpMidStream_isChargedAtTheTargetsPrice_inTheDecisionAndInSpend() throws Exception {
        primary.always(Behaviour.slowStream(200));
        String id = hangUpAfterFirstChunk("abandoned");

        JsonNode d = Awaitility.await("the Decision of the abandoned stream")
                .atMost(Duration.ofSeconds(10))
                .until(
                        () -> TestNode.parse(TestHttp.get(node.baseUrl(), "/v1/decisions/" + id, AUDITOR)
                                .body()),
                        decision -> decision.has("outcome"));

        assertThat(d.path("outcome").path("code").asText()).isEqualTo("client_disconnected");
        assertThat(d.path("provider").asText()).isEqualTo("primary");
        assertThat(d.path("usage").path("output_tokens").asLong()).isPositive();
        BigDecimal cost = new BigDecimal(d.path("cost_usd").asText());
        assertThat(cost).isPositive();
        assertThat(notes(d)).anyMatch(n -> n.contains("estimated"));
        JsonNode spend = TestNode.parse(TestHttp.get(node.baseUrl(), "/v1/spend?group_by=model", AUDITOR)
                .body());
        JsonNode row = null;
        for (JsonNode r : spend.path("data")) {
            if (r.path("model").asText().equals("abandoned")) {
                row = r;
            }
        }
        assertThat(row).as(spend.toString()).isNotNull();
        assertThat(new BigDecimal(row.path("cost_usd").asText())).isEqualByComparingTo(cost);
        assertThat(row.path("unpriced_requests").asLong()).isZero();
    }

    /** Starts a stream over a raw socket, reads up to its first chunk, hangs up; the Decision's id. */
    private static String hangUpAfterFirstChunk(String model) throws Exception {
        var uri = URI.create(node.baseUrl());
        String body = "{\"model\":\"" + model + "\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"one two three four five six seven eight nine ten\"}]}";
        try (var socket = new Socket(uri.getHost(), uri.getPort())) {
            var out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + KEY
                            + "\r\nContent-Type: application/json\r\nContent-Length: "
                            + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String id = null;
            String line;
            while ((line = in.readLine()) != null && !line.startsWith("data:")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("x-airlock-decision-id:")) {
                    id = line.substring(line.indexOf(':') + 1).strip();
                }
            }
            assertThat(line).as("the first chunk arrived").startsWith("data:");
            assertThat(id).isNotNull();
            return id;
        } // the caller hangs up here, with most of the answer still to come
    }

    private static String metrics() {
        return TestHttp.metrics(node.baseUrl());
    }
}
