package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.server.config.ConfigLoader;
import dev.airlock.testkit.FakeOpenAi;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A canary that answers without errors, quickly, and past every guard, but whose answers look nothing like
 * production's (ten times longer), is rolled back for drift of its outputs against production's over the same
 * windows; one whose answers look like production's keeps running.
 */
class CanaryDriftTest {
    private static final String APP = TestNode.APP_KEY;
    private static final String OPERATOR = "ak_oper1_oper-secret-0123456789abcdef";
    private static final String AUDITOR = TestNode.AUDITOR_KEY;

    @TempDir
    Path dir;

    FakeOpenAi v1;
    FakeOpenAi v2;
    Airlock node;

    @BeforeEach
    void start() {
        v1 = FakeOpenAi.start().answerPrefix("v1: ");
        v2 = FakeOpenAi.start();
        String yaml = """
                server: {port: 0}
                bootstrap: {admin_tenant: acme}
                store: {url: "jdbc:sqlite:%s"}
                providers:
                  up1: {kind: openai, base_url: "%s", timeout: 2s}
                  up2: {kind: openai, base_url: "%s", timeout: 2s}
                models:
                  support:
                    kind: chat
                    provider: up1
                    upstream_model: gpt-one
                    version: "1"
                    retry: {attempts: 1}
                    versions:
                      "2": {provider: up2, upstream_model: gpt-two}
                    operations:
                      thresholds: {latency_p99_ms: 2000, error_rate: 0.1, drift: 0.2}
                deployments: {canary_window: 50, canary_min_calls: 10}
                keys:
                  - {id: app1, tenant: acme, role: app, secret: "app-secret-0123456789abcdef"}
                  - {id: oper1, tenant: acme, role: operator, secret: "oper-secret-0123456789abcdef"}
                  - {id: audit1, tenant: acme, role: auditor, secret: "audit-secret-0123456789abcdef"}
                """.formatted(dir.resolve("airlock.db"), v1.baseUrl(), v2.baseUrl());
        node = Airlock.start(new ConfigLoader(name -> null).parse(dir.resolve("airlock.yaml"), yaml));
    }

    @AfterEach
    void stop() {
        node.close();
        v1.close();
        v2.close();
    }

    @Test
    void aCanaryAnsweringUnlikeProduction_isRolledBack_forDriftOfItsOutputs() {
        v2.answerPrefix("v2: " + "a much longer answer than production ever gives, ".repeat(10));
        startCanary();

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            chat();
            return node.deployments().current("support").canary() == null;
        });

        JsonNode shown = TestNode.json(TestHttp.get(node.baseUrl(), "/v1/deployments/support", AUDITOR));
        JsonNode last = shown.path("history").get(shown.path("history").size() - 1);
        assertThat(last.path("action").asText()).isEqualTo("canary.rolled_back");
        assertThat(last.path("reason").asText())
                .contains("predictions drifted from production's (version 1)")
                .contains("answer_chars")
                .contains("above the threshold 0.200");
        assertThat(shown.path("production").asText()).isEqualTo("1");
    }

    @Test
    void aCanaryAnsweringLikeProduction_keepsRunning() {
        v2.answerPrefix("v2: ");
        startCanary();

        for (int i = 0; i < 60; i++) {
            assertThat(chat().statusCode()).isEqualTo(200);
        }

        assertThat(node.deployments().current("support").canary()).isNotNull();
    }

    private void startCanary() {
        HttpResponse<String> started =
                TestHttp.send(TestHttp.request(node.baseUrl(), "/v1/deployments/support/canary", OPERATOR)
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"version\":\"2\",\"share\":0.5}"))
                        .build());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
    }

    private HttpResponse<String> chat() {
        return TestHttp.post(
                node.baseUrl(),
                "/v1/chat/completions",
                APP,
                "{\"model\":\"support\",\"messages\":[{\"role\":\"user\",\"content\":\"where is my refund\"}]}");
    }
}
