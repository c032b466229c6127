package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.airlock.alert.Alerts;
import dev.airlock.alert.Route;
import dev.airlock.alert.Rule;
import dev.airlock.alert.Signal;
import dev.airlock.audit.AuditTrail;
import dev.airlock.monitor.retrain.RetrainRun;
import dev.airlock.server.config.ConfigLoader;
import dev.airlock.server.retrain.RetrainJobs;
import dev.airlock.store.Store;
import dev.airlock.time.Time;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retraining over real HTTP with the loan-risk model: labelled predictions whose Decisions kept their features become
 * the extract a real process (or a local webhook) is given; the candidate it reports is registered (its declaration
 * written, not promoted), the run recorded and audited. A firing accuracy alert starts a run through the alert
 * channel, once per cool-down.
 */
class RetrainingApiTest {
    private static final String APP = "ak_app1_app-secret-0123456789abcdef";
    private static final String OPS = "ak_ops1_ops-secret-0123456789abcdef";
    private static final String AUDITOR = "ak_audit1_audit-secret-0123456789abcdef";

    @TempDir
    Path dir;

    private Airlock start(String retraining) {
        String yaml = """
                server: {host: 127.0.0.1, port: 0}
                bootstrap: {admin_tenant: acme}
                store: {url: "jdbc:sqlite:%s"}
                providers:
                  loan: {kind: onnx-tabular, path: "%s"}
                models:
                  loan-risk:
                    kind: predict
                    provider: loan
                    version: "1.0.0"
                    retention: {content: full, keep_for: 30d}
                    operations:
                      outcomes: {positive_class: default}
                    monitoring:
                      retraining: %s
                  plain:
                    kind: predict
                    provider: loan
                keys:
                  - {id: app1, tenant: acme, role: app, secret: "app-secret-0123456789abcdef"}
                  - {id: ops1, tenant: acme, role: operator, secret: "ops-secret-0123456789abcdef"}
                  - {id: audit1, tenant: acme, role: auditor, secret: "audit-secret-0123456789abcdef"}
                """.formatted(dir.resolve("airlock.db"), TestNode.LOAN_MODEL, retraining);
        return Airlock.start(new ConfigLoader(name -> null).parse(dir.resolve("airlock.yaml"), yaml));
    }

    /** A trainer as a user writes one: reads the extract, writes an artifact, prints the candidate line. */
    private String trainer(String body) throws IOException {
        Path script = dir.resolve("train.sh");
        Files.writeString(script, "set -eu\n" + body);
        return "{command: [/bin/sh, \"" + script + "\"], timeout: 20s, cooldown: 1h}";
    }

    private static final String TRAINS = """
            rows=$(($(wc -l < "$AIRLOCK_EXTRACT") - 1))
            echo "training $AIRLOCK_MODEL $AIRLOCK_VERSION on $rows rows ($AIRLOCK_REASON)"
            cp "$AIRLOCK_EXTRACT" "$AIRLOCK_RUN_DIR/model.bin"
            echo "{\\"candidate_version\\": \\"2.0.0\\", \\"artifact\\": \\"model.bin\\", \\"metrics\\": {\\"rows\\": $rows}}"
            """;

    /**
     * Starts a run by hand as an operator does: 202 with the running run and where to poll it, then polls (bounded)
     * until it has ended.
     */
    private static JsonNode retrained(String base) throws Exception {
        var started = TestHttp.post(base, "/v1/admin/models/loan-risk/retrain", OPS, "");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        JsonNode run = TestNode.json(started);
        assertThat(run.path("status").asText()).isEqualTo("running");
        String location = started.headers().firstValue("Location").orElseThrow();
        assertThat(location)
                .isEqualTo("/v1/admin/models/loan-risk/retraining/"
                        + run.path("id").asText());
        return ended(base, location);
    }

    /** The run at {@code location}, once it is no longer running (polled, at most 30 s). */
    private static JsonNode ended(String base, String location) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    var polled = TestHttp.get(base, location, AUDITOR);
                    assertThat(polled.statusCode()).as(polled.body()).isEqualTo(200);
                    last[0] = TestNode.json(polled);
                    return !last[0].path("status").asText().equals("running");
                });
        return last[0];
    }

    /** Four predictions, three of them labelled. */
    private static List<String> predictAndLabel(String base) throws Exception {
        List<String> ids = new ArrayList<>();
        double[] ratios = {0.05, 0.3, 0.9, 1.2};
        for (double ratio : ratios) {
            var response = TestHttp.post(
                    base,
                    "/v1/models/loan-risk/predict",
                    APP,
                    TestNode.JSON.writeValueAsString(Map.of("features", applicant(ratio))));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            ids.add(response.headers().firstValue("x-airlock-decision-id").orElseThrow());
        }
        for (int i = 0; i < 3; i++) {
            var labelled = TestHttp.post(
                    base,
                    "/v1/decisions/" + ids.get(i) + "/label",
                    APP,
                    "{\"label\":\"" + (i == 2 ? "default" : "repay") + "\"}");
            assertThat(labelled.statusCode()).as(labelled.body()).isEqualTo(200);
        }
        return ids;
    }

    private static Map<String, Object> applicant(double debtToIncome) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("annual_income", 38000);
        f.put("debt_to_income", debtToIncome);
        f.put("employment_years", 1);
        f.put("loan_amount", 22000);
        f.put("loan_term_months", 60);
        f.put("credit_history_years", 3);
        f.put("delinquencies_2y", 0);
        f.put("open_credit_lines", 9);
        f.put("home_ownership", "rent");
        f.put("purpose", "small_business");
        f.put("region", "north");
        return f;
    }

    @Test
    void retrain_runsTheCommandWithTheExtract_registersItsCandidate_andAuditsTheRun() throws Exception {
        try (Airlock node = start(trainer(TRAINS))) {
            String base = node.baseUrl();
            List<String> ids = predictAndLabel(base);

            JsonNode run = retrained(base);

            assertThat(run.path("status").asText()).as(run.toPrettyString()).isEqualTo("succeeded");
            assertThat(run.path("version").asText()).isEqualTo("1.0.0");
            assertThat(run.path("reason").asText()).isEqualTo("manual");
            assertThat(run.path("actor").asText()).isEqualTo("key:ops1");
            assertThat(run.path("extract_rows").asInt()).isEqualTo(3);
            assertThat(run.path("exit_status").asInt()).isZero();
            assertThat(run.path("output_tail").asText()).contains("training loan-risk 1.0.0 on 3 rows (manual)");
            JsonNode candidate = run.path("candidate");
            assertThat(candidate.path("version").asText()).isEqualTo("2.0.0");
            assertThat(candidate.at("/metrics/rows").asDouble()).isEqualTo(3.0);
            // the extract: a header, then the labelled predictions with the features their Decisions kept
            Path artifact = Path.of(candidate.path("artifact").asText());
            List<String> extract = Files.readAllLines(artifact);
            assertThat(extract.getFirst())
                    .isEqualTo("decision_id,model_version,annual_income,credit_history_years,debt_to_income,"
                            + "delinquencies_2y,employment_years,home_ownership,loan_amount,loan_term_months,"
                            + "open_credit_lines,purpose,region,label");
            assertThat(extract.subList(1, 4))
                    .containsExactly(
                            ids.get(0) + ",1.0.0,38000,3,0.05,0,1,rent,22000,60,9,small_business,north,repay",
                            ids.get(1) + ",1.0.0,38000,3,0.3,0,1,rent,22000,60,9,small_business,north,repay",
                            ids.get(2) + ",1.0.0,38000,3,0.9,0,1,rent,22000,60,9,small_business,north,default");
            assertThat(candidate.path("sha256").asText()).isEqualTo(sha256(artifact));
            // registered as configuration: a declaration of the version, not a deployment
            String declaration =
                    Files.readString(Path.of(candidate.path("registration").asText()));
            assertThat(declaration)
                    .contains("\"2.0.0\":")
                    .contains("sha256: " + sha256(artifact))
                    .contains("training_data: \"sha256:")
                    .contains("lineage: \"retraining run " + run.path("id").asText())
                    .doesNotContain("onnx-tabular"); // not an ONNX artifact: no provider is guessed for it
            JsonNode deployments = TestNode.json(TestHttp.get(base, "/v1/deployments/loan-risk", OPS));
            assertThat(deployments.path("production").asText()).isEqualTo("1.0.0");

            JsonNode runs = TestNode.json(TestHttp.get(base, "/v1/admin/models/loan-risk/retraining", AUDITOR));
            assertThat(runs.path("data")).hasSize(1);
            assertThat(runs.at("/data/0/id").asText()).isEqualTo(run.path("id").asText());

            List<String> actions = new ArrayList<>();
            node.runtime().store().auditChain().searchEvents(null, null, null, e -> actions.add(e.action()));
            assertThat(actions)
                    .containsSubsequence("retrain.started", "retrain.succeeded", "retrain.candidate_registered");
        }
    }

    @Test
    void aFailingCommand_isRecordedAsFailed_withItsExitStatusAndOutput() throws Exception {
        try (Airlock node = start(trainer("echo 'column debt_to_income is missing' >&2\nexit 3\n"))) {
            predictAndLabel(node.baseUrl());

            JsonNode run = retrained(node.baseUrl());

            assertThat(run.path("status").asText()).isEqualTo("failed");
            assertThat(run.path("exit_status").asInt()).isEqualTo(3);
            assertThat(run.path("error").asText()).isEqualTo("the command exited with status 3");
            assertThat(run.path("output_tail").asText()).contains("column debt_to_income is missing");
            assertThat(run.path("candidate").isNull()).isTrue();
        }
    }

    @Test
    void aCommandPastItsTimeout_isStopped_andTheRunFails() throws Exception {
        Path script = dir.resolve("slow.sh");
        Files.writeString(script, "echo started\nexec sleep 30\n");
        try (Airlock node = start("{command: [/bin/sh, \"" + script + "\"], timeout: 1s}")) {
            predictAndLabel(node.baseUrl());

            JsonNode run = retrained(node.baseUrl());

            assertThat(run.path("status").asText()).isEqualTo("failed");
            assertThat(run.path("error").asText()).contains("did not finish within");
            assertThat(run.path("output_tail").asText()).contains("started");
        }
    }

    @Test
    void aWebhook_isRetriedOnA5xx_andItsCandidateRegistered() throws Exception {
        List<JsonNode> received = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/train", exchange -> {
            received.add(TestNode.JSON.readTree(exchange.getRequestBody()));
            boolean first = calls.incrementAndGet() == 1;
            byte[] body = (first
                            ? "busy"
                            : "{\"candidate_version\":\"2.1.0\",\"artifact\":\"s3://models/loan-risk-2.1.0.onnx\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(first ? 503 : 202, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        hook.start();
        try (Airlock node = start("{webhook: \"http://127.0.0.1:"
                + hook.getAddress().getPort() + "/train\", backoff: 10ms, attempts: 3}")) {
            predictAndLabel(node.baseUrl());

            JsonNode run = retrained(node.baseUrl());

            assertThat(run.path("status").asText()).as(run.toPrettyString()).isEqualTo("succeeded");
            assertThat(run.path("trigger").asText()).isEqualTo("webhook");
            assertThat(run.path("exit_status").asInt()).isEqualTo(202);
            assertThat(run.at("/candidate/version").asText()).isEqualTo("2.1.0");
            assertThat(calls.get()).isEqualTo(2);
            JsonNode body = received.getLast();
            assertThat(body.path("object").asText()).isEqualTo("retrain.request");
            assertThat(body.path("model").asText()).isEqualTo("loan-risk");
            assertThat(body.path("extract_rows").asInt()).isEqualTo(3);
            assertThat(Files.readAllLines(Path.of(body.path("extract").asText())))
                    .hasSize(4);
        } finally {
            hook.stop(0);
        }
    }

    @Test
    void whoMayRetrain_andWhatIsRefused() throws Exception {
        try (Airlock node = start(trainer(TRAINS))) {
            String base = node.baseUrl();

            assertThat(TestHttp.post(base, "/v1/admin/models/loan-risk/retrain", APP, "")
                            .statusCode())
                    .isEqualTo(403);
            var unknown = TestHttp.post(base, "/v1/admin/models/nope/retrain", OPS, "");
            assertThat(unknown.statusCode()).isEqualTo(404);
            var plain = TestHttp.post(base, "/v1/admin/models/plain/retrain", OPS, "");
            assertThat(plain.statusCode()).isEqualTo(409);
            assertThat(plain.body())
                    .contains("retraining_not_configured")
                    .contains("models.plain.monitoring.retraining");
            var version = TestHttp.post(base, "/v1/admin/models/loan-risk/retrain?version=9", OPS, "");
            assertThat(version.statusCode()).isEqualTo(400);
            assertThat(version.body()).contains("'version' '9' is not a version of loan-risk");
            // no labelled prediction yet: the run fails, saying why, and the trainer is not run
            JsonNode empty = retrained(base);
            assertThat(empty.path("status").asText()).isEqualTo("failed");
            assertThat(empty.path("error").asText()).contains("no labelled predictions with kept features");
        }
    }

    @Test
    void aSecondRetrain_whileTheFirstRuns_isRefusedWith409_namingTheRunningRun() throws Exception {
        Path go = dir.resolve("go");
        try (Airlock node = start(trainer("while [ ! -f \"" + go + "\" ]; do sleep 0.05; done\n" + TRAINS))) {
            String base = node.baseUrl();
            predictAndLabel(base);
            var first = TestHttp.post(base, "/v1/admin/models/loan-risk/retrain", OPS, "");
            assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
            String id = TestNode.json(first).path("id").asText();

            var second = TestHttp.post(base, "/v1/admin/models/loan-risk/retrain", OPS, "");

            assertThat(second.statusCode()).as(second.body()).isEqualTo(409);
            assertThat(second.headers().firstValue("Content-Type").orElseThrow())
                    .startsWith("application/problem+json");
            JsonNode problem = TestNode.json(second);
            assertThat(problem.path("code").asText()).isEqualTo("retraining_running");
            assertThat(problem.path("detail").asText()).contains("run " + id + " started at");
            assertThat(TestNode.json(TestHttp.get(base, "/v1/admin/models/loan-risk/retraining", AUDITOR))
                            .path("data"))
                    .hasSize(1);

            Files.writeString(go, "");
            JsonNode done = ended(base, "/v1/admin/models/loan-risk/retraining/" + id);
            assertThat(done.path("status").asText()).as(done.toPrettyString()).isEqualTo("succeeded");
            // once it has ended, the next one may start (it fails: its trainer reports 2.0.0 again, declared once)
            assertThat(retrained(base).path("id").asText()).isNotEqualTo(id);
        }
    }

    @Test
    void aTrainerThatExitsZero_withoutACandidateLine_failsTheRun_quotingItsLastLine() throws Exception {
        String longLine = "x".repeat(3000);
        try (Airlock node = start(trainer("echo 'training on the extract'\necho 'done, model saved'\n"))) {
            predictAndLabel(node.baseUrl());

            JsonNode run = retrained(node.baseUrl());

            assertThat(run.path("status").asText()).isEqualTo("failed");
            assertThat(run.path("exit_status").asInt()).isZero();
            assertThat(run.path("error").asText())
                    .isEqualTo("the command exited with status 0 but reported no candidate: its last line was"
                            + " 'done, model saved'; expected as its last line a JSON object naming candidate_version"
                            + " and artifact (or candidate.json in the run's directory)");
            assertThat(run.path("candidate").isNull()).isTrue();
        }
        try (Airlock node = start(trainer("echo '" + longLine + "'\n"))) {
            predictAndLabel(node.baseUrl());

            JsonNode run = retrained(node.baseUrl());

            assertThat(run.path("status").asText()).isEqualTo("failed");
            assertThat(run.path("error").asText())
                    .contains("'" + "x".repeat(200) + "…'")
                    .hasSizeLessThan(500);
        }
    }

    @Test
    void aRunThatIsNotTheModels_orDoesNotExist_is404() throws Exception {
        try (Airlock node = start(trainer(TRAINS))) {
            String base = node.baseUrl();
            String id = retrained(base).path("id").asText();

            assertThat(TestHttp.get(base, "/v1/admin/models/plain/retraining/" + id, AUDITOR)
                            .statusCode())
                    .isEqualTo(404);
            var missing = TestHttp.get(base, "/v1/admin/models/loan-risk/retraining/" + "z".repeat(3000), AUDITOR);
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(TestNode.json(missing).path("detail").asText())
                    .isEqualTo("There is no retraining run " + "z".repeat(80) + "… of loan-risk.");
            assertThat(TestHttp.get(base, "/v1/admin/models/loan-risk/retraining/" + id, APP)
                            .statusCode())
                    .isEqualTo(403);
        }
    }

    @Test
    void aFiringAccuracyAlert_startsOneRun_perCooldown() throws Exception {
        try (Airlock node = start(trainer(TRAINS))) {
            predictAndLabel(node.baseUrl());
            Store store = node.runtime().store();
            var trail = new AuditTrail(store.auditChain(), Clock.systemUTC());
            try (RetrainJobs jobs = RetrainJobs.of(
                    node.runtime().config(),
                    store.retrainStore(),
                    store.decisionLog(),
                    store.outcomeStore(),
                    model -> Optional.of("1.0.0"),
                    trail,
                    Time.system())) {
                var accuracy = new Signal("accuracy", "loan-risk", "1.0.0", 0.41, java.time.Instant.now());
                var latency = new Signal("latency_p99_ms", "loan-risk", "1.0.0", 900, java.time.Instant.now());
                Alerts alerts = new Alerts(
                        store.alertStore(),
                        Rule.fromThresholds(
                                "loan-risk", Map.of("accuracy", 0.65, "latency_p99_ms", 100.0), Duration.ZERO),
                        List.of(now -> List.of(accuracy, latency)),
                        List.of(jobs.channel()),
                        model -> Route.NOBODY,
                        trail,
                        Time.system(),
                        Alerts.Settings.DEFAULTS,
                        "test-node",
                        List.of());

                alerts.tick();

                await().atMost(Duration.ofSeconds(20))
                        .until(() -> jobs.retraining().runs("loan-risk", 10).stream()
                                .anyMatch(r -> r.status() != RetrainRun.Status.RUNNING));
                List<RetrainRun> runs = jobs.retraining().runs("loan-risk", 10);
                assertThat(runs).hasSize(1);
                RetrainRun run = runs.getFirst();
                assertThat(run.reason()).isEqualTo("accuracy");
                assertThat(run.value()).isEqualTo(0.41);
                assertThat(run.threshold()).isEqualTo(0.65);
                assertThat(run.alertId()).isNotNull();
                assertThat(run.actor()).isEqualTo("airlock");
                assertThat(run.status()).isEqualTo(RetrainRun.Status.SUCCEEDED);

                // the same alert, still firing, and a new one for the same model: the cool-down holds
                var again = jobs.retraining()
                        .retrain(new dev.airlock.monitor.retrain.Retraining.Request(
                                "loan-risk", "1.0.0", "drift", 0.3, 0.2, "a2", "airlock", false));
                assertThat(again).isInstanceOf(dev.airlock.monitor.retrain.Retraining.Result.CoolingDown.class);
                assertThat(jobs.retraining().runs("loan-risk", 10)).hasSize(1);
            }
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
