package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.server.config.ConfigLoader;
import dev.airlock.testkit.FakeOpenAi;
import dev.airlock.testkit.FakeOpenAi.Behaviour;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Budgets and rate limits over HTTP. The upstream charges $1,000 per million tokens both ways, so one token is
 * $0.001, and the fake upstream counts words: "hi" is 1 prompt token, "echo: hi" 2 completion tokens, so a call costs
 * exactly $0.003. With {@code max_tokens: 2} Airlock estimates a call at 5 + 2 tokens, $0.007, before it runs.
 */
class BudgetTest {
    @TempDir
    static Path dir;

    static FakeOpenAi upstream;
    static Airlock node;

    @BeforeAll
    static void start() {
        upstream = FakeOpenAi.start();
        String yaml = """
                server: {port: 0}
                store: {url: "jdbc:sqlite:%s"}
                providers:
                  paid:
                    kind: openai
                    base_url: "%s"
                    prices: {gpt-paid: {input: 1000, output: 1000}}
                models:
                  paid: {kind: chat, provider: paid, upstream_model: gpt-paid}
                  unbudgeted: {kind: chat, provider: paid, upstream_model: gpt-paid}
                budgets:
                  - {name: acme-daily, tenant: acme, period: day, hard: 0.03}
                  - {name: globex-daily, tenant: globex, period: day, hard: 0.03}
                  - {name: app4-alert, key: app4, period: month, soft: 0.005}
                  - {name: paid-monthly, model: paid, period: month, hard: 1000}
                rate_limits:
                  keys: {app3: {requests_per_minute: 3}, app6: {tokens_per_minute: 1000}, app7: {tokens_per_minute: 1000}}
                cost: {refresh: 1h}
                keys:
                  - {id: app1, tenant: acme, role: app, secret: "app1-secret-0123456789abcdef"}
                  - {id: audit1, tenant: acme, role: auditor, secret: "audit1-secret-0123456789abcdef"}
                  - {id: app2, tenant: globex, role: app, secret: "app2-secret-0123456789abcdef"}
                  - {id: audit2, tenant: globex, role: auditor, secret: "audit2-secret-0123456789abcdef"}
                  - {id: app3, tenant: initech, role: app, secret: "app3-secret-0123456789abcdef"}
                  - {id: app4, tenant: hooli, role: app, secret: "app4-secret-0123456789abcdef"}
                  - {id: oper5, tenant: hooli, role: operator, secret: "oper5-secret-0123456789abcdef"}
                  - {id: app6, tenant: umbrella, role: app, secret: "app6-secret-0123456789abcdef"}
                  - {id: app7, tenant: umbrella, role: app, secret: "app7-secret-0123456789abcdef"}
                """.formatted(dir.resolve("airlock.db"), upstream.baseUrl());
        node = Airlock.start(new ConfigLoader(name -> null).parse(dir.resolve("airlock.yaml"), yaml));
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        upstream.close();
    }

    private static String key(String id) {
        return "ak_" + id + "_" + id + "-secret-0123456789abcdef";
    }

    private static HttpResponse<String> chat(String keyId) {
        return TestHttp.post(
                node.baseUrl(),
                "/v1/chat/completions",
                key(keyId),
                "{\"model\":\"paid\",\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    }

    private static HttpResponse<String> get(String path, String keyId) {
        return TestHttp.get(node.baseUrl(), path, key(keyId));
    }

    @Test
    void aHardBudget_refusesTheCallThatCouldPassIt_with429NamingTheBudget() {
        int answered = 0;
        HttpResponse<String> refused = null;
        for (int i = 0; i < 12 && refused == null; i++) {
            HttpResponse<String> response = chat("app1");
            if (response.statusCode() == 200) {
                answered++;
            } else {
                refused = response;
            }
        }

        // 8 calls spend $0.024; a 9th, estimated at $0.007, could reach $0.031 > $0.03
        assertThat(answered).isEqualTo(8);
        assertThat(refused).isNotNull();
        assertThat(refused.statusCode()).isEqualTo(429);
        JsonNode error = TestNode.parse(refused.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("budget_exceeded");
        assertThat(error.path("type").asText()).isEqualTo("insufficient_quota");
        assertThat(error.path("message").asText())
                .contains("Budget 'acme-daily'")
                .contains("$0.024");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();

        JsonNode spend =
                TestNode.parse(get("/v1/spend?group_by=model", "audit1").body());
        assertThat(new BigDecimal(spend.path("total_usd").asText())).isEqualByComparingTo("0.024");
        assertThat(spend.path("data").path(0).path("model").asText()).isEqualTo("paid");
        assertThat(spend.path("data").path(0).path("requests").asLong())
                .as("the refusal is recorded too")
                .isEqualTo(9);
        JsonNode budgets = TestNode.parse(get("/v1/budgets", "audit1").body()).path("data");
        assertThat(budgets.findValuesAsText("name")).containsExactly("acme-daily", "paid-monthly");
        assertThat(new BigDecimal(budgets.path(0).path("spent_usd").asText())).isEqualByComparingTo("0.024");
        assertThat(budgets.path(0).path("reserved_usd").asText()).isEqualTo("0");
    }

    @Test
    void concurrentCalls_cannotOverrunAHardBudget() throws Exception {
        upstream.always(Behaviour.delayed(150));
        List<Future<HttpResponse<String>>> calls = new ArrayList<>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 40; i++) {
                calls.add(threads.submit(() -> chat("app2")));
            }
        }
        int ok = 0;
        int refused = 0;
        for (var call : calls) {
            int status = call.get().statusCode();
            if (status == 200) {
                ok++;
            } else {
                assertThat(status).isEqualTo(429);
                refused++;
            }
        }
        upstream.clear();

        JsonNode spend = TestNode.parse(get("/v1/spend", "audit2").body());
        BigDecimal spent = new BigDecimal(spend.path("total_usd").asText());
        assertThat(spent).isLessThanOrEqualTo(new BigDecimal("0.03"));
        assertThat(spent).isEqualByComparingTo(new BigDecimal("0.003").multiply(BigDecimal.valueOf(ok)));
        assertThat(ok).isBetween(4, 10);
        assertThat(refused).isEqualTo(40 - ok);
        // another tenant's auditor sees none of it
        JsonNode acme = TestNode.parse(get("/v1/spend", "audit1").body());
        assertThat(acme.path("tenant").asText()).isEqualTo("acme");
    }

    @Test
    void modelWideBudgets_areShownToEveryReaderRole_likeSpend() {
        for (String reader : List.of("audit2", "oper5")) {
            HttpResponse<String> r = get("/v1/budgets", reader);

            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode paid = TestNode.parse(r.body()).path("data");
            assertThat(paid.findValuesAsText("name")).as(reader).contains("paid-monthly");
        }
        assertThat(get("/v1/budgets", "app1").statusCode()).isEqualTo(403);
    }

    @Test
    void aKeyOverItsRequestsPerMinute_gets429WithRetryAfter() {
        for (int i = 0; i < 3; i++) {
            assertThat(chat("app3").statusCode()).isEqualTo(200);
        }

        HttpResponse<String> limited = chat("app3");

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(TestNode.parse(limited.body()).path("error").path("code").asText())
                .isEqualTo("rate_limit_exceeded");
        assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow()))
                .isBetween(1L, 60L);
    }

    @Test
    void anAbsurdMaxTokens_needsTheKeysWholeTokenBucket_ratherThanSlippingPastIt() throws Exception {
        // 2^63-1 overflowed the estimate's token sum, and 2^64+1 was read as 1: either took ~1 token a call
        assertSecondCallWhileFirstRunsIsRateLimited("app6", "9223372036854775807");
        assertSecondCallWhileFirstRunsIsRateLimited("app7", "18446744073709551617");
    }

    private static void assertSecondCallWhileFirstRunsIsRateLimited(String keyId, String maxTokens) throws Exception {
        String body = "{\"model\":\"unbudgeted\",\"max_tokens\":" + maxTokens
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        upstream.clear();
        upstream.nextResponses(Behaviour.delayed(5_000));
        var first = CompletableFuture.supplyAsync(
                () -> TestHttp.post(node.baseUrl(), "/v1/chat/completions", key(keyId), body));
        await().atMost(Duration.ofSeconds(20)).until(() -> !upstream.received().isEmpty());

        HttpResponse<String> second = TestHttp.post(node.baseUrl(), "/v1/chat/completions", key(keyId), body);

        assertThat(second.statusCode()).as(maxTokens + ": " + second.body()).isEqualTo(429);
        assertThat(TestNode.parse(second.body()).path("error").path("code").asText())
                .isEqualTo("rate_limit_exceeded");
        assertThat(first.get().statusCode()).as(maxTokens).isEqualTo(200);
    }

    @Test
    void datesOutsideWhatTheStoreHolds_are400NotAServerError() {
        assertThat(get("/v1/spend?from=1000-01-01", "audit1").statusCode()).isEqualTo(400);
        assertThat(get("/v1/decisions?from=1000-01-01T00:00:00Z", "audit1").statusCode())
                .isEqualTo(400);
        assertThat(get("/v1/spend?period=week", "audit1").statusCode()).isEqualTo(400);
    }

    @Test
    void passingASoftLimit_raisesAnAlert_butAnswers() {
        assertThat(chat("app4").statusCode()).isEqualTo(200);
        assertThat(chat("app4").statusCode()).isEqualTo(200);

        String metrics = TestHttp.metrics(node.baseUrl());

        assertThat(metrics).contains("airlock_budget_alerts_total{budget=\"app4-alert\"} 1.0");
        assertThat(metrics).contains("airlock_budget_spent{budget=\"app4-alert\"} 0.006");
    }
}
