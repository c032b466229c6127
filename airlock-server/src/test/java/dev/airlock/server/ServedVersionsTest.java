package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.deploy.ServingNode;
import dev.airlock.evidence.Evaluation;
import dev.airlock.evidence.LoadTestResult;
import dev.airlock.readiness.Drill;
import dev.airlock.server.cli.AirlockCli;
import dev.airlock.server.config.ConfigLoader;
import dev.airlock.server.runtime.BuildInfo;
import dev.airlock.store.Store;
import dev.airlock.testkit.FakeOpenAi;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Production never points at a version a live node cannot serve: the node publishes what it serves, promotion from
 * the command line (whose configuration may declare more) and from HTTP refuses otherwise, and a node that meets such a
 * version anyway (forced) keeps answering with the version before and says so on /healthz, /metrics and in the audit
 * log. Every Decision, /healthz and --version name the build.
 */
class ServedVersionsTest {
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
        node = Airlock.start(new ConfigLoader(name -> null).parse(dir.resolve("node.yaml"), config(List.of("1", "2"))));
    }

    @AfterEach
    void stop() {
        node.close();
        v1.close();
        v2.close();
    }

    @Test
    void theCli_refusesToPromoteAVersionOnlyItsOwnConfigDeclares_namingTheLiveNodeAndWhatItServes() throws IOException {
        Path cliConfig = cliConfig();
        recordEvidence("3");

        Run refused = airlock("promote", "support", "3", "--reason", "new model", "-c", cliConfig.toString());

        assertThat(refused.exit()).as(refused.err()).isEqualTo(1);
        assertThat(refused.err())
                .as(refused.err())
                .contains("support 3 cannot be served by 1 of 1 live node(s): " + nodeId())
                .contains(nodeId() + " serves support [1, 2]")
                .contains("force it with a justification");
        assertThat(node.runtime().deployments().current("support").production()).isEqualTo("1");
        assertThat(answerOf(chat())).startsWith("v1: ");
    }

    @Test
    void aForcedPromotion_leavesTheNodeAnsweringWithThePreviousVersion_andReportingIt() throws IOException {
        Path cliConfig = cliConfig();
        recordEvidence("3");

        Run noWhy = airlock("promote", "support", "3", "--force", "-c", cliConfig.toString());
        assertThat(noWhy.exit()).isEqualTo(2);
        assertThat(noWhy.err()).contains("needs a justification of at least 10 characters");

        Run forced = airlock(
                "promote",
                "support",
                "3",
                "--force",
                "--justification",
                "the node is replaced by one declaring 3 within the hour",
                "-c",
                cliConfig.toString());

        assertThat(forced.exit()).as(forced.err()).isZero();
        assertThat(forced.out()).contains("support: production 3");
        assertThat(forced.err()).contains("airlock: warning: forced: " + nodeId() + " cannot serve support 3");
        // within deployments.refresh the node reads the new deployment: the next call meets version 3
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            chat();
            return healthz().path("deployments").path("status").asText().equals("unservable");
        });
        HttpResponse<String> answered = chat();
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        assertThat(answerOf(answered)).startsWith("v1: ");
        assertThat(answered.headers().firstValue("x-airlock-model-version")).contains("1");
        JsonNode unservable = healthz().path("deployments").path("unservable").path(0);
        assertThat(unservable.path("model").asText()).isEqualTo("support");
        assertThat(unservable.path("role").asText()).isEqualTo("production");
        assertThat(unservable.path("wanted").asText()).isEqualTo("3");
        assertThat(unservable.path("serving").asText()).isEqualTo("1");
        assertThat(TestHttp.metrics(node.baseUrl())).contains("airlock_deployment_unservable{model=\"support\"} 1.0");
        JsonNode events = TestNode.json(TestHttp.get(node.baseUrl(), "/v1/audit/events?limit=100", AUDITOR))
                .path("data");
        assertThat(events.findValuesAsText("action")).contains("deployment.forced");

        Run rolledBack = airlock("rollback", "support", "--reason", "back to what runs", "-c", cliConfig.toString());
        assertThat(rolledBack.exit()).as(rolledBack.err()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            chat();
            return healthz().path("deployments").path("status").asText().equals("serving");
        });
    }

    @Test
    void overHttp_promotionIsRefusedWhileAnotherLiveNodeCannotServeTheVersion_andForcedWithAJustification() {
        recordEvidence("2");
        try (Store store = Store.open("jdbc:sqlite:" + dir.resolve("airlock.db"), null, null)) {
            store.servedVersions()
                    .publishServed(new ServingNode("node-old", Map.of("support", List.of("1")), Instant.now(), null));
        }

        HttpResponse<String> refused = post("{\"version\":\"2\"}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        JsonNode error = TestNode.error(refused);
        assertThat(error.path("code").asText()).isEqualTo("version_not_served");
        assertThat(error.path("message").asText())
                .contains("cannot be served by 1 of 2 live node(s): node-old")
                .contains("node-old serves support [1]");

        HttpResponse<String> forced =
                post("{\"version\":\"2\",\"force\":true,\"justification\":\"node-old drains within minutes\"}");
        assertThat(forced.statusCode()).as(forced.body()).isEqualTo(200);
        assertThat(TestNode.json(forced).path("warnings").path(0).asText()).startsWith("forced: node-old");
        assertThat(TestNode.json(forced).path("deployment").path("production").asText())
                .isEqualTo("2");
    }

    @Test
    void theBuild_isIn_healthz_everyDecision_andVersion() {
        String build = BuildInfo.current().display();
        assertThat(BuildInfo.current().version()).matches("\\d+\\.\\d+\\.\\d+.*");

        assertThat(healthz().path("airlock_version").asText())
                .isEqualTo(BuildInfo.current().version());
        assertThat(healthz().path("node").asText()).isEqualTo(nodeId());
        HttpResponse<String> answered = chat();
        assertThat(TestHttp.decisionOf(node.baseUrl(), answered, AUDITOR)
                        .path("airlock_version")
                        .asText())
                .isEqualTo(build);
        Run version = airlock("--version");
        assertThat(version.out().strip()).isEqualTo("airlock " + build);
    }

    private String config(List<String> versions) {
        StringBuilder declared = new StringBuilder();
        for (String v : versions) {
            declared.append("      \"")
                    .append(v)
                    .append("\": ")
                    .append(v.equals("1") ? "{framework: openai}" : "{provider: up2, upstream_model: gpt-two}")
                    .append('\n');
        }
        return """
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
                    owner: support-team
                    expected_load_rps: 5
                    retention: {content: hash}
                    versions:
                %s    operations:
                      contact: support-oncall@example.com
                      escalation: [head-of-support]
                      runbook: https://runbooks.example.com/support
                      review_rule: refunds over 500 EUR are reviewed
                      thresholds: {latency_p99_ms: 2000, error_rate: 0.1, drift: 0.2, accuracy: 0.8, cost_per_day_usd: 50}
                deployments: {refresh: 100ms}
                keys:
                  - {id: app1, tenant: acme, role: app, secret: "app-secret-0123456789abcdef"}
                  - {id: oper1, tenant: acme, role: operator, secret: "oper-secret-0123456789abcdef"}
                  - {id: audit1, tenant: acme, role: auditor, secret: "audit-secret-0123456789abcdef"}
                """.formatted(dir.resolve("airlock.db"), v1.baseUrl(), v2.baseUrl(), declared);
    }

    /** The command line's configuration: the same store, one version more than the node declares. */
    private Path cliConfig() throws IOException {
        Path file = dir.resolve("cli.yaml");
        Files.writeString(file, config(List.of("1", "2", "3")));
        return file;
    }

    private String nodeId() {
        return node.runtime().health().node();
    }

    private JsonNode healthz() {
        return TestNode.json(TestHttp.get(node.baseUrl(), "/healthz", null));
    }

    private HttpResponse<String> chat() {
        return TestHttp.post(
                node.baseUrl(),
                "/v1/chat/completions",
                APP,
                "{\"model\":\"support\",\"messages\":[{\"role\":\"user\",\"content\":\"where is my refund\"}]}");
    }

    private HttpResponse<String> post(String body) {
        return TestHttp.post(node.baseUrl(), "/v1/deployments/support/promote", OPERATOR, body);
    }

    private static String answerOf(HttpResponse<String> response) {
        return TestNode.json(response)
                .path("choices")
                .path(0)
                .path("message")
                .path("content")
                .asText();
    }

    record Run(int exit, String out, String err) {}

    private static Run airlock(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = AirlockCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    private void recordEvidence(String version) {
        Instant now = Instant.now();
        try (Store store = Store.open("jdbc:sqlite:" + dir.resolve("airlock.db"), null, null)) {
            var evidence = store.evidenceStore();
            evidence.recordDrill(new Drill("d1", "fallback", "support", now, true, Map.of("version", version)));
            evidence.recordDrill(new Drill("d2", "rollback", "support", now, true, Map.of()));
            evidence.recordLoadTest(new LoadTestResult(
                    "lt1",
                    "support",
                    version,
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
            evidence.recordEvaluation(new Evaluation(
                    "ev1",
                    "support",
                    version,
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
}
