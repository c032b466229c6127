package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.server.config.ConfigLoader;
import dev.airlock.testkit.FakeLoanSystem;
import dev.airlock.testkit.LocalProcesses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loan-risk example's workflow over HTTP, against a local stand-in for the bank's systems: end to end, waiting for
 * an underwriter across a restart, a rejected tool call, limits, retention, and a node killed mid-run.
 */
class WorkflowsTest {
    private static final Path EXAMPLE = Path.of("../examples/loan-risk/airlock.yaml");
    private static final String APP = "ak_app1_app-secret-0123456789abcdef";
    private static final String REVIEWER = "ak_review1_review-secret-0123456789abcdef";
    private static final String AUDITOR = "ak_audit1_audit-secret-0123456789abcdef";
    private static final String KEYS = """

            keys:
              - {id: app1, tenant: default, role: app, secret: "app-secret-0123456789abcdef"}
              - {id: review1, tenant: default, role: reviewer, secret: "review-secret-0123456789abcdef"}
              - {id: audit1, tenant: default, role: auditor, secret: "audit-secret-0123456789abcdef"}
            """;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private FakeLoanSystem bank;
    private final List<Airlock> nodes = new ArrayList<>();

    @BeforeEach
    void startBank() {
        bank = FakeLoanSystem.start();
    }

    @AfterEach
    void stop() {
        nodes.forEach(Airlock::close);
        bank.close();
    }

    private Map<String, String> env(Map<String, String> more) {
        Map<String, String> env = new HashMap<>(Map.of(
                "AIRLOCK_PORT",
                "0",
                "AIRLOCK_STORE_URL",
                "jdbc:sqlite:" + dir.resolve("airlock.db"),
                "AIRLOCK_LOAN_SYSTEM_URL",
                bank.baseUrl(),
                "AIRLOCK_RETRAIN_DIR",
                dir.resolve("retraining").toString()));
        env.putAll(more);
        return env;
    }

    private Airlock node(Map<String, String> more) {
        try {
            Map<String, String> env = env(more);
            var config = new ConfigLoader(env::get).parse(EXAMPLE, Files.readString(EXAMPLE) + KEYS);
            Airlock node = Airlock.start(config);
            nodes.add(node);
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aLowRiskApplication_runsEveryAgent_andIsRecordedOnceInTheLoanSystem() {
        Airlock node = node(Map.of());
        JsonNode started = post(
                node,
                "/v1/admin/workflows/loan-application/runs",
                APP,
                "{\"input\": {\"applicant_id\": \"A-1001\"}, \"subject\": \"A-1001\"}",
                202);
        String run = started.get("id").asText();

        List<JsonNode> events = follow(node, run);
        JsonNode state = get(node, "/v1/admin/workflows/runs/" + run, APP);

        assertThat(state.get("status").asText()).as(state.toString()).isEqualTo("completed");
        assertThat(types(events)).startsWith("run.started").endsWith("run.completed");
        assertThat(completedSteps(events))
                .contains("plan", "research/0/applicant", "research/1/policy", "score", "compliance", "record");
        JsonNode plan = step(events, "plan");
        assertThat(plan.get("data").get("deterministic").asBoolean()).isTrue();
        assertThat(plan.get("detail").asText()).contains("no chat model is configured");
        assertThat(step(events, "compliance").get("data").get("effect").asText())
                .isEqualTo("allow");
        assertThat(bank.executions(run + "/record")).isEqualTo(1);
        // each model and tool call is a Decision linked to the run and step
        String scoreDecision = step(events, "score").get("decision_id").asText();
        JsonNode decision = get(node, "/v1/decisions/" + scoreDecision, AUDITOR);
        assertThat(decision.get("workflow").get("run_id").asText()).isEqualTo(run);
        assertThat(decision.get("workflow").get("step").asText()).isEqualTo("score");
        assertThat(decision.get("kind").asText()).isEqualTo("predict");
        JsonNode toolDecision = get(
                node,
                "/v1/decisions/" + step(events, "record").get("decision_id").asText(),
                AUDITOR);
        assertThat(toolDecision.get("kind").asText()).isEqualTo("tool");
        assertThat(toolDecision.get("model").asText()).isEqualTo("record-decision");
        assertThat(toolDecision.get("workflow").get("step").asText()).isEqualTo("record");
        assertThat(state.get("trace_id").asText()).hasSize(32);
    }

    @Test
    void anApplicationAboveThePolicyThreshold_waitsForAnUnderwriter_acrossARestart() {
        Airlock first = node(Map.of());
        String run = post(
                        first,
                        "/v1/admin/workflows/loan-application/runs",
                        APP,
                        "{\"input\": {\"applicant_id\": \"A-2002\"}}",
                        202)
                .get("id")
                .asText();
        awaitStatus(first, run, "waiting");
        assertThat(get(first, "/v1/admin/workflows/runs/" + run, APP)
                        .get("pending_step")
                        .asText())
                .isEqualTo("review/underwriter");
        first.close();
        nodes.remove(first);

        Airlock second = node(Map.of());
        assertThat(get(second, "/v1/admin/workflows/runs/" + run, APP)
                        .get("status")
                        .asText())
                .isEqualTo("waiting");
        assertThat(bank.keys()).isEmpty();
        problem(second, "/v1/admin/workflows/runs/" + run + "/approve", APP, 403);
        JsonNode approved = post(
                second,
                "/v1/admin/workflows/runs/" + run + "/approve",
                REVIEWER,
                "{\"note\": \"income verified by phone\"}",
                200);
        assertThat(approved.get("status").asText()).isEqualTo("running");

        List<JsonNode> events = follow(second, run);
        assertThat(get(second, "/v1/admin/workflows/runs/" + run, APP)
                        .get("status")
                        .asText())
                .isEqualTo("completed");
        assertThat(types(events)).contains("approval.requested", "approval.granted");
        assertThat(bank.executions(run + "/record")).isEqualTo(1);
        assertThat(step(events, "compliance").get("data").get("reasons").toString())
                .contains("DEBT_TO_INCOME_ABOVE_CAP");
    }

    @Test
    void aToolThatNeedsApproval_isNeverCalled_whenTheApprovalIsRejected() {
        Airlock node = node(Map.of("AIRLOCK_RECORD_NEEDS_APPROVAL", "true"));
        String run = post(
                        node,
                        "/v1/admin/workflows/loan-application/runs",
                        APP,
                        "{\"input\": {\"applicant_id\": \"A-1001\"}}",
                        202)
                .get("id")
                .asText();
        awaitStatus(node, run, "waiting");
        assertThat(get(node, "/v1/admin/workflows/runs/" + run, APP)
                        .get("pending_step")
                        .asText())
                .isEqualTo("record#approval");

        post(node, "/v1/admin/workflows/runs/" + run + "/reject", REVIEWER, "{\"note\": \"not today\"}", 200);

        JsonNode state = get(node, "/v1/admin/workflows/runs/" + run, APP);
        assertThat(state.get("status").asText()).isEqualTo("rejected");
        assertThat(state.get("detail").asText()).contains("rejected by key:review1: not today");
        assertThat(bank.deliveries(run + "/record")).isZero();
        problem(node, "/v1/admin/workflows/runs/" + run + "/approve", REVIEWER, 409);
    }

    @Test
    void aRunThatReachesItsStepLimit_endsWithLimitExceeded() throws IOException {
        String yaml = Files.readString(EXAMPLE).replace("max_steps: 20,", "max_steps: 3,") + KEYS;
        var config = new ConfigLoader(env(Map.of())::get).parse(EXAMPLE, yaml);
        Airlock node = Airlock.start(config);
        nodes.add(node);
        String run = post(
                        node,
                        "/v1/admin/workflows/loan-application/runs",
                        APP,
                        "{\"input\": {\"applicant_id\": \"A-1001\"}}",
                        202)
                .get("id")
                .asText();
        List<JsonNode> events = follow(node, run);
        JsonNode state = get(node, "/v1/admin/workflows/runs/" + run, APP);
        assertThat(state.get("status").asText()).isEqualTo("limit_exceeded");
        assertThat(state.get("detail").asText()).contains("max_steps 3 reached before step score");
        assertThat(state.get("spent").get("steps").asInt()).isEqualTo(3);
        assertThat(types(events)).endsWith("run.limit_exceeded");
        assertThat(bank.keys()).isEmpty();
    }

    @Test
    void endedRuns_arePrunedAfterTheirRetention_withTheirHistory() {
        Airlock node = node(Map.of());
        String run = post(
                        node,
                        "/v1/admin/workflows/loan-application/runs",
                        APP,
                        "{\"input\": {\"applicant_id\": \"A-1001\"}}",
                        202)
                .get("id")
                .asText();
        follow(node, run);
        var workflows = node.runtime().workflows();
        assertThat(workflows.prune(Instant.now().minus(Duration.ofDays(90)))).isZero();
        assertThat(workflows.prune(Instant.now().plusSeconds(1))).isEqualTo(1);
        problem(node, "/v1/admin/workflows/runs/" + run, APP, 404);
        assertThat(workflows.history(run, 0, 10)).isEmpty();
    }

    @Test
    void aNodeKilledWhileRecordingTheDecision_isResumedElsewhere_andTheLoanSystemActsOnce() throws Exception {
        int port = LocalProcesses.freePort();
        Path config = dir.resolve("airlock.yaml");
        Files.writeString(config, Files.readString(EXAMPLE) + KEYS);
        // the example's model files, next to the copied configuration
        Files.createSymbolicLink(
                dir.resolve("model"), EXAMPLE.toAbsolutePath().getParent().resolve("model"));
        Files.createSymbolicLink(
                dir.resolve("data"), EXAMPLE.toAbsolutePath().getParent().resolve("data"));
        bank.holdAnswers(); // the loan system acts, and the node dies before it hears back
        Files.createSymbolicLink(
                dir.resolve("retrain.sh"), EXAMPLE.toAbsolutePath().getParent().resolve("retrain.sh"));
        ProcessBuilder builder = LocalProcesses.java(
                        "", "dev.airlock.server.cli.AirlockCli", "serve", "--config", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("node.log").toFile());
        builder.environment()
                .putAll(env(Map.of("AIRLOCK_PORT", Integer.toString(port), "AIRLOCK_WORKFLOW_LEASE", "1s")));
        Process killed = builder.start();
        String run;
        try {
            LocalProcesses.awaitOk("http://127.0.0.1:" + port + "/readyz", Duration.ofSeconds(90));
            run = JSON.readTree(send(HttpRequest.newBuilder(URI.create(
                                            "http://127.0.0.1:" + port + "/v1/admin/workflows/loan-application/runs"))
                                    .header("Authorization", "Bearer " + APP)
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            "{\"input\": {\"applicant_id\": \"A-1001\"}}"))
                                    .build())
                            .body())
                    .get("id")
                    .asText();
            assertThat(bank.awaitExecuted(60)).isTrue();
            new ProcessBuilder("kill", "-KILL", Long.toString(killed.pid()))
                    .start()
                    .waitFor();
        } finally {
            killed.destroyForcibly().waitFor();
        }
        bank.release();

        Airlock next = node(Map.of("AIRLOCK_WORKFLOW_LEASE", "1s"));
        List<JsonNode> events = follow(next, run);
        assertThat(get(next, "/v1/admin/workflows/runs/" + run, APP)
                        .get("status")
                        .asText())
                .isEqualTo("completed");
        assertThat(types(events)).contains("run.resumed");
        assertThat(bank.deliveries(run + "/record"))
                .as("sent again with the same key")
                .isEqualTo(2);
        assertThat(bank.executions(run + "/record")).as("carried out once").isEqualTo(1);
        assertThat(step(events, "record").get("data").get("execution").asInt()).isEqualTo(1);
        assertThat(completedSteps(events)).containsOnlyOnce("score");
    }

    // --- helpers

    private static String base(Airlock node) {
        return node.baseUrl();
    }

    private static JsonNode post(Airlock node, String path, String key, String body, int status) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base(node) + path))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return parse(response.body());
    }

    private static JsonNode get(Airlock node, String path, String key) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base(node) + path))
                .header("Authorization", "Bearer " + key)
                .build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return parse(response.body());
    }

    private static void problem(Airlock node, String path, String key, int status) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base(node) + path))
                .header("Authorization", "Bearer " + key)
                .method(path.endsWith("approve") ? "POST" : "GET", HttpRequest.BodyPublishers.ofString("{}"))
                .build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
    }

    /** The run's history as server-sent events, until the run ends. */
    private static List<JsonNode> follow(Airlock node, String run) {
        HttpResponse<String> response =
                send(HttpRequest.newBuilder(URI.create(base(node) + "/v1/admin/workflows/runs/" + run + "/events"))
                        .header("Authorization", "Bearer " + APP)
                        .header("Accept", "text/event-stream")
                        .timeout(Duration.ofSeconds(120))
                        .build());
        assertThat(response.headers().firstValue("Content-Type").orElse("")).contains("text/event-stream");
        List<JsonNode> events = new ArrayList<>();
        for (String line : response.body().split("\n")) {
            if (line.startsWith("data: ")) {
                events.add(parse(line.substring(6)));
            }
        }
        return events;
    }

    private static void awaitStatus(Airlock node, String run, String status) {
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> get(node, "/v1/admin/workflows/runs/" + run, APP)
                                .get("status")
                                .asText(),
                        status::equals);
    }

    private static List<String> types(List<JsonNode> events) {
        return events.stream().map(e -> e.get("type").asText()).toList();
    }

    private static List<String> completedSteps(List<JsonNode> events) {
        return events.stream()
                .filter(e -> e.get("type").asText().equals("step.completed"))
                .map(e -> e.get("step").asText())
                .toList();
    }

    private static JsonNode step(List<JsonNode> events, String step) {
        return events.stream()
                .filter(e -> e.get("type").asText().equals("step.completed")
                        && e.get("step").asText().equals(step))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no completed step " + step + " in " + types(events)));
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
