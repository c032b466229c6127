package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.decision.DecisionQuery;
import dev.airlock.deploy.DeploymentDesk;
import dev.airlock.evidence.Evaluation;
import dev.airlock.evidence.LoadTestResult;
import dev.airlock.readiness.Drill;
import dev.airlock.server.config.ConfigLoader;
import dev.airlock.store.Store;
import dev.airlock.testkit.FakeOpenAi;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model versions and deployments end to end: the readiness gate on promotion, one-command rollback, canaries rolled
 * back automatically, shadows that never reach callers, and every change in the audit log. Each version is served by
 * its own local OpenAI-protocol upstream, which answers with its own prefix.
 */
class DeploymentTest {
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
        v2 = FakeOpenAi.start().answerPrefix("v2: ");
        node = startNode();
    }

    private Airlock startNode() {
        String yaml = """
                server: {port: 0}
                bootstrap: {admin_tenant: acme}
                store: {url: "jdbc:sqlite:%s"}
                providers:
                  up1: {kind: openai, base_url: "%s", timeout: 2s, breaker: {window: 1000, min_calls: 1000}}
                  up2: {kind: openai, base_url: "%s", timeout: 2s, breaker: {window: 1000, min_calls: 1000}}
                models:
                  support:
                    kind: chat
                    provider: up1
                    upstream_model: gpt-one
                    version: "1"
                    owner: support-team
                    expected_load_rps: 5
                    retention: {content: hash}
                    retry: {attempts: 1}
                    versions:
                      "1": {framework: openai, tags: [baseline]}
                      "2":
                        provider: up2
                        upstream_model: gpt-two
                        framework: openai
                        training_data: "sha256:5e1f"
                        metrics: {accuracy: 0.91}
                        lineage: run-2026-11-20
                    aliases: {staging: "2"}
                    operations:
                      contact: support-oncall@example.com
                      escalation: [head-of-support]
                      runbook: https://runbooks.example.com/support
                      review_rule: refunds over 500 EUR are reviewed
                      thresholds: {latency_p99_ms: 2000, error_rate: 0.1, drift: 0.2, accuracy: 0.8, cost_per_day_usd: 50}
                deployments: {refresh: 100ms, canary_window: 50, canary_min_calls: 10}
                keys:
                  - {id: app1, tenant: acme, role: app, secret: "app-secret-0123456789abcdef"}
                  - {id: oper1, tenant: acme, role: operator, secret: "oper-secret-0123456789abcdef"}
                  - {id: audit1, tenant: acme, role: auditor, secret: "audit-secret-0123456789abcdef"}
                  - {id: oper2, tenant: globex, role: operator, secret: "globex-oper-secret-0123456789abcdef"}
                audit: {checkpoint_interval: 100ms}
                """.formatted(dir.resolve("airlock.db"), v1.baseUrl(), v2.baseUrl());
        return Airlock.start(new ConfigLoader(name -> null).parse(dir.resolve("airlock.yaml"), yaml));
    }

    @AfterEach
    void stop() {
        node.close();
        v1.close();
        v2.close();
    }

    @Test
    void promotion_isRefusedWithExactlyTheMissingEvidence_thenAcceptedOnceItIsRecorded() {
        HttpResponse<String> refused = post("/v1/deployments/support/promote", OPERATOR, "{\"version\":\"2\"}");

        assertThat(refused.statusCode()).isEqualTo(409);
        JsonNode body = TestNode.json(refused);
        assertThat(refused.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(body.path("code").asText()).isEqualTo("not_ready");
        assertThat(body.path("status").asInt()).isEqualTo(409);
        assertThat(body.path("missing").findValuesAsText("check"))
                .containsExactly("fallback_drill", "rollback_drill", "load_test", "evaluation");
        assertThat(answerOf(chat("support"))).startsWith("v1: ");

        recordEvidence();
        HttpResponse<String> promoted =
                post("/v1/deployments/support/promote", OPERATOR, "{\"version\":\"2\",\"reason\":\"better answers\"}");

        assertThat(promoted.statusCode()).as(promoted.body()).isEqualTo(200);
        assertThat(TestNode.json(promoted).path("deployment").path("production").asText())
                .isEqualTo("2");
        HttpResponse<String> answered = chat("support");
        assertThat(answerOf(answered)).startsWith("v2: ");
        assertThat(answered.headers().firstValue("x-airlock-model-version")).contains("2");
        assertThat(TestHttp.decisionOf(node.baseUrl(), answered, AUDITOR)
                        .path("model_version")
                        .asText())
                .isEqualTo("2");
    }

    @Test
    void theJavaApi_promotesBehindTheSameGate_asTheAdminApi() {
        var refused = node.deploymentDesk().promote("support", "2", "java:embedded", "no evidence yet");

        assertThat(refused)
                .isInstanceOfSatisfying(
                        DeploymentDesk.NotReady.class,
                        n -> assertThat(n.missing().stream().map(r -> r.check().id()))
                                .containsExactly("fallback_drill", "rollback_drill", "load_test", "evaluation"));
        assertThat(node.deployments().current("support").production()).isEqualTo("1");
        assertThat(answerOf(chat("support"))).startsWith("v1: ");
        assertThat(node.deployments().history("support")).isEmpty();

        recordEvidence();
        assertThat(node.deploymentDesk().promote("support", "2", "java:embedded", "evidence recorded"))
                .isInstanceOf(DeploymentDesk.Promoted.class);
        assertThat(answerOf(chat("support"))).startsWith("v2: ");
        JsonNode events = TestNode.json(TestHttp.get(node.baseUrl(), "/v1/audit/events?limit=100", AUDITOR))
                .path("data");
        assertThat(events.findValuesAsText("action")).contains("deployment.promoted");
    }

    @Test
    void evidenceGatheredOnAnotherVersion_doesNotPromoteThisOne() {
        Instant now = Instant.now();
        try (Store store = Store.open("jdbc:sqlite:" + dir.resolve("airlock.db"), null, null)) {
            store.evidenceStore()
                    .recordDrill(new Drill("d1", "fallback", "support", now, true, Map.of("version", "1")));
            store.evidenceStore().recordDrill(new Drill("d2", "rollback", "support", now, true, Map.of()));
            store.evidenceStore()
                    .recordLoadTest(new LoadTestResult(
                            "lt1",
                            "support",
                            "1",
                            now,
                            Duration.ofSeconds(30),
                            10,
                            50,
                            1500,
                            1500,
                            0,
                            0,
                            20,
                            180,
                            300,
                            0,
                            Duration.ofMillis(20)));
        }

        HttpResponse<String> refused = post("/v1/deployments/support/promote", OPERATOR, "{\"version\":\"2\"}");

        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(TestNode.json(refused).path("missing").findValuesAsText("check"))
                .containsExactly("fallback_drill", "load_test", "evaluation");
        JsonNode forVersion1 = TestNode.json(TestHttp.get(node.baseUrl(), "/v1/readiness/support?version=1", AUDITOR));
        assertThat(forVersion1.path("checks").findValuesAsText("check")).hasSize(9);
        assertThat(forVersion1.path("checks").get(3).path("passed").asBoolean())
                .as("fallback drill of version 1")
                .isTrue();
    }

    @Test
    void rollback_returnsNewCallsToThePreviousVersion_inOneCommand_andEveryChangeIsAudited() {
        recordEvidence();
        assertThat(post("/v1/deployments/support/promote", OPERATOR, "{\"version\":\"2\"}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(answerOf(chat("support"))).startsWith("v2: ");

        HttpResponse<String> rolledBack =
                post("/v1/deployments/support/rollback", OPERATOR, "{\"reason\":\"complaints about tone\"}");

        assertThat(rolledBack.statusCode()).as(rolledBack.body()).isEqualTo(200);
        for (int i = 0; i < 5; i++) {
            assertThat(answerOf(chat("support"))).startsWith("v1: ");
        }
        JsonNode shown = TestNode.json(TestHttp.get(node.baseUrl(), "/v1/deployments/support", AUDITOR));
        assertThat(shown.path("production").asText()).isEqualTo("1");
        assertThat(shown.path("history").findValuesAsText("action")).containsExactly("promoted", "rolled_back");
        assertThat(shown.path("versions").findValuesAsText("version")).containsExactly("1", "2");
        assertThat(shown.path("versions").get(1).path("lineage").asText()).isEqualTo("run-2026-11-20");
        JsonNode events = TestNode.json(TestHttp.get(node.baseUrl(), "/v1/audit/events?limit=100", AUDITOR))
                .path("data");
        assertThat(events.findValuesAsText("action")).contains("deployment.promoted", "deployment.rolled_back");
        HttpResponse<String> nothingLeft = post("/v1/deployments/support/rollback", OPERATOR, "{}");
        assertThat(nothingLeft.statusCode()).isEqualTo(409);
        assertThat(nothingLeft.body()).contains("nothing to roll back to");
    }

    @Test
    void aCanary_isRolledBackAutomatically_whenItsUpstreamStartsFailing() {
        HttpResponse<String> started =
                put("/v1/deployments/support/canary", OPERATOR, "{\"version\":\"2\",\"share\":0.5}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            answers.add(answerOf(chat("support")));
        }
        assertThat(answers).anyMatch(a -> a.startsWith("v2: ")).anyMatch(a -> a.startsWith("v1: "));

        v2.always(FakeOpenAi.Behaviour.error(503, "canary upstream down"));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            chat("support");
            return node.deployments().current("support").canary() == null;
        });

        for (int i = 0; i < 10; i++) {
            assertThat(answerOf(chat("support"))).startsWith("v1: ");
        }
        JsonNode shown = TestNode.json(TestHttp.get(node.baseUrl(), "/v1/deployments/support", AUDITOR));
        JsonNode last = shown.path("history").get(shown.path("history").size() - 1);
        assertThat(last.path("action").asText()).isEqualTo("canary.rolled_back");
        assertThat(last.path("actor").asText()).isEqualTo("airlock");
        assertThat(last.path("reason").asText()).contains("error rate").contains("threshold 0.100");
        assertThat(shown.path("production").asText()).isEqualTo("1");
    }

    @Test
    void shadowTraffic_isRecordedAndCompared_butNeverReachesCallers() throws Exception {
        assertThat(put("/v1/deployments/support/shadow", OPERATOR, "{\"version\":\"2\"}")
                        .statusCode())
                .isEqualTo(200);

        for (int i = 0; i < 8; i++) {
            HttpResponse<String> r = chat("support");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(answerOf(r)).startsWith("v1: ");
            assertThat(r.headers().firstValue("x-airlock-model-version")).contains("1");
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> shadowSummary().path("compared").asInt() == 8);

        JsonNode summary = shadowSummary();
        assertThat(summary.path("shadow_answered").asInt()).isEqualTo(8);
        assertThat(summary.path("agreement_rate").asDouble()).isZero(); // "v2: ..." never equals "v1: ..."
        assertThat(v2.received()).hasSize(8);
        try (Store store = Store.open("jdbc:sqlite:" + dir.resolve("airlock.db"), null, null)) {
            List<String> shadowNotes = new ArrayList<>();
            store.decisionLog().searchDecisions(DecisionQuery.ofTenant("acme"), d -> {
                d.notes().stream()
                        .filter(n -> n.stage().equals("resolve"))
                        .forEach(n -> shadowNotes.add(n.verdict() + "@" + d.modelVersion()));
                return true;
            });
            assertThat(shadowNotes)
                    .filteredOn(n -> n.startsWith("shadow"))
                    .hasSize(8)
                    .allMatch("shadow@2"::equals);
            assertThat(shadowNotes).filteredOn(n -> n.startsWith("production")).hasSize(8);
        }
    }

    @Test
    void aCallerMayPinAVersionOrAlias_andUnknownOnesAre404() {
        assertThat(answerOf(chat("support@staging"))).startsWith("v2: ");
        assertThat(answerOf(chat("support@2"))).startsWith("v2: ");
        assertThat(answerOf(chat("support@production"))).startsWith("v1: ");
        assertThat(chat("support@9").statusCode()).isEqualTo(404);
    }

    @Test
    void onlyOperatorsAndAdminsChangeDeployments_andBadRequestsGetClearErrors() {
        assertThat(put("/v1/deployments/support/canary", APP, "{\"version\":\"2\",\"share\":0.1}")
                        .statusCode())
                .isEqualTo(403);
        assertThat(put("/v1/deployments/support/canary", AUDITOR, "{\"version\":\"2\",\"share\":0.1}")
                        .statusCode())
                .isEqualTo(403);
        assertThat(put(
                                "/v1/deployments/support/canary",
                                "ak_oper2_globex-oper-secret-0123456789abcdef",
                                "{\"version\":\"2\",\"share\":0.1}")
                        .statusCode())
                .as("an operator of another tenant may not move a model every tenant shares")
                .isEqualTo(403);
        HttpResponse<String> badShare =
                put("/v1/deployments/support/canary", OPERATOR, "{\"version\":\"2\",\"share\":1.5}");
        assertThat(badShare.statusCode()).isEqualTo(400);
        assertThat(TestNode.error(badShare).path("message").asText()).contains("between 0 and 1");
        HttpResponse<String> unknown =
                put("/v1/deployments/support/canary", OPERATOR, "{\"version\":\"7\",\"share\":0.1}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("no version '7'");
        assertThat(post("/v1/deployments/nope/rollback", OPERATOR, "{}").statusCode())
                .isEqualTo(404);
        HttpResponse<String> noSuchVersion = post("/v1/deployments/support/promote", OPERATOR, "{\"version\":\"9\"}");
        assertThat(noSuchVersion.statusCode()).isEqualTo(400);
        assertThat(noSuchVersion.body()).contains("no version '9'");
        assertThat(post("/v1/deployments/support/promote", OPERATOR, "{\"version\":")
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void aPromotionMadeElsewhere_survivesARestart() {
        recordEvidence();
        assertThat(post("/v1/deployments/support/promote", OPERATOR, "{\"version\":\"2\"}")
                        .statusCode())
                .isEqualTo(200);
        node.close();

        node = startNode();

        assertThat(answerOf(chat("support"))).startsWith("v2: ");
    }

    private void recordEvidence() {
        Instant now = Instant.now();
        try (Store store = Store.open("jdbc:sqlite:" + dir.resolve("airlock.db"), null, null)) {
            store.evidenceStore()
                    .recordDrill(
                            new Drill("d1", "fallback", "support", now, true, Map.of("calls", "20", "version", "2")));
            store.evidenceStore().recordDrill(new Drill("d2", "rollback", "support", now, true, Map.of("calls", "10")));
            store.evidenceStore()
                    .recordLoadTest(new LoadTestResult(
                            "lt1",
                            "support",
                            "2",
                            now,
                            Duration.ofSeconds(30),
                            10,
                            50,
                            1500,
                            1500,
                            0,
                            0,
                            20,
                            180,
                            300,
                            0,
                            Duration.ofMillis(20)));
            store.evidenceStore()
                    .recordEvaluation(new Evaluation(
                            "ev1",
                            "support",
                            "2",
                            now,
                            "raw-sample.csv",
                            1000,
                            990,
                            0.86,
                            0.9,
                            0.95,
                            0.3,
                            0.665,
                            0.6,
                            12000.0));
        }
    }

    private JsonNode shadowSummary() {
        return TestNode.json(TestHttp.get(node.baseUrl(), "/v1/deployments/support", AUDITOR))
                .path("shadow_comparison");
    }

    private HttpResponse<String> chat(String model) {
        return post(
                "/v1/chat/completions",
                APP,
                "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"where is my refund\"}]}");
    }

    private static String answerOf(HttpResponse<String> response) {
        return TestNode.json(response)
                .path("choices")
                .path(0)
                .path("message")
                .path("content")
                .asText();
    }

    private HttpResponse<String> post(String path, String key, String body) {
        return TestHttp.post(node.baseUrl(), path, key, body);
    }

    private HttpResponse<String> put(String path, String key, String body) {
        return TestHttp.send(TestHttp.request(node.baseUrl(), path, key)
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }
}
