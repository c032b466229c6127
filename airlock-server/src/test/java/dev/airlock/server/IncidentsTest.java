package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.airlock.deploy.DeploymentDesk;
import dev.airlock.readiness.Readiness;
import dev.airlock.server.cli.AirlockCli;
import dev.airlock.server.config.ConfigLoader;
import dev.airlock.store.TestDatabase;
import dev.airlock.store.TestPostgres;
import dev.airlock.testkit.FakeOpenAi;
import dev.airlock.testkit.FakeOpenAi.Behaviour;
import dev.airlock.time.FakeTime;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incidents as the on-call person meets them over HTTP: a failing upstream fires an alert, which opens an incident
 * naming the owner and the runbook; a second alert joins it; the person acknowledges, assigns, notes and resolves it
 * with a post-incident record; every step is in the audit log. A model that declares automatic rollback is rolled back
 * when a version promoted recently fails. Time is fake; evaluation runs when the test calls {@code tick()}.
 */
class IncidentsTest {
    private static final String ADMIN = "ak_ops_ops-secret-0123456789abcdef";
    private static final String APP = "ak_app_app-secret-0123456789abcdef";
    private static final String AUDITOR = "ak_aud_aud-secret-0123456789abcdef";

    @TempDir
    Path dir;

    final FakeTime time = new FakeTime();
    FakeOpenAi upstream;
    FakeOpenAi second;
    HttpServer receiver;
    final List<String> hooks = new CopyOnWriteArrayList<>();
    Airlock node;
    TestDatabase database;
    String store;

    @BeforeEach
    void start() throws Exception {
        upstream = FakeOpenAi.start().answerPrefix("v1: ");
        second = FakeOpenAi.start().answerPrefix("v2: ");
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            hooks.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        receiver.stop(0);
        upstream.close();
        second.close();
        if (database != null) {
            database.close();
        }
    }

    private Airlock start(String incident) {
        return start(incident, "");
    }

    private Airlock startWith(String extra) {
        return start("", extra);
    }

    private Airlock start(String incident, String extra) {
        String yaml = """
                server: {port: 0}
                store: %s
                audit: {signing_key: "%s"}
                providers:
                  up:
                    kind: openai
                    base_url: "%s"
                    timeout: 5s
                    breaker: {window: 1000, min_calls: 1000}
                    prices: {gpt-x: {input: 1000, output: 1000}}
                  up2: {kind: openai, base_url: "%s", timeout: 5s, breaker: {window: 1000, min_calls: 1000}}
                models:
                  assistant:
                    kind: chat
                    provider: up
                    upstream_model: gpt-x
                    version: "1"
                    retry: {attempts: 1}
                    owner: credit-risk-team
                    versions:
                      "1": {framework: openai}
                      "2": {provider: up2, upstream_model: gpt-y, framework: openai}
                    operations:
                      contact: oncall@example.com
                      runbook: https://wiki.example/runbooks/assistant
                      thresholds: {latency_p99_ms: 100, error_rate: 0.2}
                      %s
                keys:
                  - {id: ops, tenant: default, role: admin, secret: "ops-secret-0123456789abcdef"}
                  - {id: aud, tenant: default, role: auditor, secret: "aud-secret-0123456789abcdef"}
                  - {id: app, tenant: default, role: app, secret: "app-secret-0123456789abcdef"}
                alerts:
                  evaluate_every: 0s
                  window: 1h
                  for: 1m
                  min_calls: 3
                  channels:
                    hook: {kind: webhook, url: "http://127.0.0.1:%d/hook"}
                """.formatted(
                                store == null ? "{url: \"jdbc:sqlite:" + dir.resolve("airlock.db") + "\"}" : store,
                                dir.resolve("signing.key"),
                                upstream.baseUrl(),
                                second.baseUrl(),
                                incident,
                                receiver.getAddress().getPort())
                + extra;
        try {
            Files.writeString(dir.resolve("airlock.yaml"), yaml); // for the command line
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Airlock.start(new ConfigLoader(n -> null).parse(dir.resolve("airlock.yaml"), yaml), time.clock());
    }

    private record Run(int exit, String out, String err) {}

    private Run airlock(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", dir.resolve("airlock.yaml").toString()));
        int exit = AirlockCli.run(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    private void calls(int n) {
        for (int i = 0; i < n; i++) {
            TestHttp.post(
                    node.baseUrl(),
                    "/v1/chat/completions",
                    APP,
                    "{\"model\":\"assistant\",\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        }
        time.advance(Duration.ofSeconds(1));
    }

    /** Two evaluations a for-duration apart: a breach in the calls so far fires. */
    private void evaluate() {
        node.runtime().alerts().tick();
        time.advance(Duration.ofMinutes(1));
        node.runtime().alerts().tick();
    }

    private JsonNode get(String path) {
        HttpResponse<String> r = TestHttp.get(node.baseUrl(), path, AUDITOR);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestNode.json(r);
    }

    private HttpResponse<String> post(String path, String body) {
        return TestHttp.post(node.baseUrl(), path, ADMIN, body);
    }

    private List<JsonNode> auditEvents() {
        JsonNode events = get("/v1/audit/events?limit=1000").get("data");
        List<JsonNode> out = new ArrayList<>();
        events.forEach(out::add);
        return out;
    }

    private double openIncidentsGauge() {
        String metrics = TestHttp.send(
                        TestHttp.request(node.baseUrl(), "/metrics", null).build())
                .body();
        return metrics.lines()
                .filter(l -> l.startsWith("airlock_incidents_open "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no airlock_incidents_open in " + metrics));
    }

    @Test
    void failingUpstream_opensAnIncident_aSecondAlertJoins_andItIsWorkedOnAndResolvedWithARecord() {
        node = start("");
        upstream.always(Behaviour.delayed(150));
        calls(3);
        evaluate();

        JsonNode list = get("/v1/incidents").get("data");
        assertThat(list).hasSize(1);
        JsonNode incident = list.get(0);
        String id = incident.get("id").asText();
        assertThat(incident.get("subject").asText()).isEqualTo("assistant");
        assertThat(incident.get("version").asText()).isEqualTo("1");
        assertThat(incident.get("state").asText()).isEqualTo("open");
        assertThat(incident.get("owner").asText()).isEqualTo("credit-risk-team");
        assertThat(incident.get("runbook").asText()).isEqualTo("https://wiki.example/runbooks/assistant");
        assertThat(incident.get("title").asText()).contains("latency_p99_ms");
        assertThat(openIncidentsGauge()).isEqualTo(1.0);

        upstream.always(Behaviour.error(500, "upstream broke"));
        calls(4);
        evaluate();
        node.runtime().alerts().tick(); // an alert already taken is not taken again

        assertThat(get("/v1/incidents").get("data")).hasSize(1);
        JsonNode shown = get("/v1/incidents/" + id);
        assertThat(shown.get("alerts")).hasSize(2);
        assertThat(shown.get("timeline").findValuesAsText("kind"))
                .contains("opened", "alert.pending", "alert.firing", "notification.sent", "alert.joined");
        assertThat(shown.get("timeline").findValuesAsText("text"))
                .anyMatch(t -> t.contains("error_rate"))
                .anyMatch(t -> t.contains("firing via hook to oncall@example.com"));

        assertThat(post("/v1/incidents/" + id + "/ack", "").statusCode()).isEqualTo(200);
        HttpResponse<String> again = post("/v1/incidents/" + id + "/ack", "");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.headers().firstValue("content-type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(again.body()).contains("acknowledged by key:ops");
        HttpResponse<String> assigned = post("/v1/incidents/" + id + "/assign", "{\"assignee\":\"jane@example.com\"}");
        assertThat(TestNode.json(assigned).get("assignee").asText()).isEqualTo("jane@example.com");
        assertThat(post("/v1/incidents/" + id + "/notes", "{\"text\":\"the provider confirms an outage\"}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(TestHttp.post(node.baseUrl(), "/v1/incidents/" + id + "/ack", AUDITOR, "")
                        .statusCode())
                .isEqualTo(403);

        HttpResponse<String> noCause = post("/v1/incidents/" + id + "/resolve", "{\"action\":\"waited it out\"}");
        assertThat(noCause.statusCode()).isEqualTo(400);
        assertThat(noCause.headers().firstValue("content-type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(TestNode.json(noCause).get("detail").asText()).contains("'cause' is required");
        assertThat(get("/v1/incidents/" + id).get("state").asText()).isEqualTo("acknowledged");

        HttpResponse<String> resolved = post(
                "/v1/incidents/" + id + "/resolve",
                "{\"cause\":\"the provider's outage\",\"action\":\"waited it out\","
                        + "\"follow_ups\":[\"a fallback provider\",\"alert on p95\"]}");
        assertThat(resolved.statusCode()).as(resolved.body()).isEqualTo(200);
        JsonNode closed = TestNode.json(resolved);
        assertThat(closed.get("state").asText()).isEqualTo("resolved");
        assertThat(closed.get("resolved_by").asText()).isEqualTo("key:ops");
        assertThat(closed.get("post_incident").get("follow_ups")).hasSize(2);
        assertThat(post("/v1/incidents/" + id + "/resolve", "{\"cause\":\"x\",\"action\":\"y\"}")
                        .statusCode())
                .isEqualTo(409);
        assertThat(get("/v1/incidents?state=open").get("data")).isEmpty();
        assertThat(openIncidentsGauge()).isEqualTo(0.0);
        assertThat(get("/v1/incidents/" + id).get("timeline").findValuesAsText("kind"))
                .containsSubsequence("opened", "alert.joined", "acknowledged", "assigned", "note", "resolved");

        List<JsonNode> audited = auditEvents().stream()
                .filter(e -> e.get("target").asText().equals(id))
                .toList();
        assertThat(audited)
                .extracting(e -> e.get("action").asText())
                .containsExactly(
                        "incident.opened",
                        "incident.alert_joined",
                        "incident.acknowledged",
                        "incident.assigned",
                        "incident.noted",
                        "incident.resolved");
        assertThat(audited.get(0).get("details").get("owner").asText()).isEqualTo("credit-risk-team");
        assertThat(audited.get(5).get("actor").asText()).isEqualTo("key:ops");
        assertThat(audited.get(5).get("details").get("cause").asText()).isEqualTo("the provider's outage");
    }

    @Test
    void theCommandLine_listsShowsAndWorksOnIncidents_auditedAsTheShellUser() {
        node = start("");
        upstream.always(Behaviour.delayed(150));
        calls(3);
        evaluate();
        String id = get("/v1/incidents").get("data").get(0).get("id").asText();

        Run list = airlock("incidents");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out())
                .contains(id)
                .contains("open")
                .contains("assistant")
                .contains("latency_p99_ms");
        assertThat(airlock("incidents", "list", "--state", "resolved").out()).contains("no incidents");
        assertThat(airlock("incidents", "ack", id).exit()).isZero();
        assertThat(airlock("incidents", "assign", id, "jane@example.com").exit())
                .isZero();
        assertThat(airlock("incidents", "note", id, "restarted the upstream").exit())
                .isZero();

        Run refused = airlock("incidents", "resolve", id, "--action", "restarted the upstream");
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("--cause is required");
        Run resolved = airlock(
                "incidents",
                "resolve",
                id,
                "--cause",
                "a stuck upstream worker",
                "--action",
                "restarted the upstream",
                "--follow-up",
                "a liveness probe");
        assertThat(resolved.exit()).as(resolved.err()).isZero();

        Run shown = airlock("incidents", "show", id);
        assertThat(shown.out())
                .contains("owner:   credit-risk-team")
                .contains("runbook: https://wiki.example/runbooks/assistant")
                .contains("assignee: jane@example.com")
                .contains("cause:   a stuck upstream worker")
                .contains("follow-up: a liveness probe")
                .contains("restarted the upstream");
        assertThat(airlock("incidents", "show", "nope").exit()).isEqualTo(1);
        assertThat(auditEvents())
                .filteredOn(e -> e.get("target").asText().equals(id)
                        && e.get("actor").asText().startsWith("cli:"))
                .extracting(e -> e.get("action").asText())
                .containsExactly("incident.acknowledged", "incident.assigned", "incident.noted", "incident.resolved");
    }

    @Test
    void installationAlerts_joinOneInstallationIncident() {
        node = startWith("""
                budgets:
                  - {name: daily, tenant: default, period: day, soft: 0.0000001}
                  - {name: monthly, tenant: default, period: month, soft: 0.0000001}
                """);
        calls(1);
        node.runtime().alerts().tick();

        JsonNode list = get("/v1/incidents").get("data");
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("subject").asText()).isEqualTo("installation");
        assertThat(list.get(0).get("owner").asText()).isEqualTo("installation");
        assertThat(get("/v1/incidents/" + list.get(0).get("id").asText()).get("alerts"))
                .hasSize(2);
    }

    @Test
    void aNoteAfterResolve_isTaken_markedAsAPostIncidentNote_andAudited() {
        node = start("");
        upstream.always(Behaviour.delayed(150));
        calls(3);
        evaluate();
        String id = get("/v1/incidents").get("data").get(0).get("id").asText();
        post("/v1/incidents/" + id + "/notes", "{\"text\":\"looking at the upstream\"}");
        post("/v1/incidents/" + id + "/resolve", "{\"cause\":\"slow upstream\",\"action\":\"none yet\"}");

        HttpResponse<String> later =
                post("/v1/incidents/" + id + "/notes", "{\"text\":\"the provider published its post-mortem\"}");

        assertThat(later.statusCode()).as(later.body()).isEqualTo(200);
        JsonNode incident = get("/v1/incidents/" + id);
        assertThat(incident.get("state").asText()).isEqualTo("resolved");
        List<String> kinds = incident.get("timeline").findValuesAsText("kind");
        assertThat(kinds).containsSubsequence("note", "resolved", "post_incident_note");
        JsonNode postNote = null;
        for (JsonNode entry : incident.get("timeline")) {
            if (entry.path("kind").asText().equals("post_incident_note")) {
                postNote = entry;
            }
        }
        assertThat(postNote).isNotNull();
        assertThat(postNote.path("text").asText()).isEqualTo("the provider published its post-mortem");
        assertThat(auditEvents())
                .filteredOn(e -> e.path("action").asText().equals("incident.noted"))
                .extracting(e -> e.at("/details/after_resolve").asText())
                .containsExactlyInAnyOrder("false", "true");
    }

    @Test
    void aFiringAlertAfterResolution_opensANewIncident() {
        node = start("");
        upstream.always(Behaviour.delayed(150));
        calls(3);
        evaluate();
        String first = get("/v1/incidents").get("data").get(0).get("id").asText();
        post("/v1/incidents/" + first + "/resolve", "{\"cause\":\"slow upstream\",\"action\":\"none yet\"}");

        upstream.always(Behaviour.error(500, "upstream broke"));
        calls(4);
        evaluate();

        JsonNode list = get("/v1/incidents").get("data");
        assertThat(list).hasSize(2);
        assertThat(list.get(0).get("state").asText()).isEqualTo("open");
        assertThat(list.get(0).get("title").asText()).contains("error_rate");
        HttpResponse<String> unknown = TestHttp.get(node.baseUrl(), "/v1/incidents/nope", AUDITOR);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("There is no incident 'nope'");
    }

    @Test
    void aVersionPromotedRecentlyThatFails_isRolledBackByItsIncident_once() {
        node = start("incident: {auto_rollback: true, rollback_window: 30m}");
        waiveReadiness("2");
        HttpResponse<String> promoted =
                post("/v1/deployments/assistant/promote", "{\"version\":\"2\",\"reason\":\"new model\"}");
        assertThat(promoted.statusCode()).as(promoted.body()).isEqualTo(200);
        second.always(Behaviour.error(500, "version 2 is broken"));
        calls(4);
        evaluate();

        assertThat(node.deployments().current("assistant").production()).isEqualTo("1");
        JsonNode incident = get("/v1/incidents").get("data").get(0);
        String id = incident.get("id").asText();
        assertThat(incident.get("version").asText()).isEqualTo("2");
        JsonNode timeline = get("/v1/incidents/" + id).get("timeline");
        assertThat(timeline.findValuesAsText("kind"))
                .contains("deployment.promoted", "opened", "rollback", "deployment.rolled_back");
        assertThat(timeline.findValuesAsText("text")).contains("rolled back automatically: production 2 -> 1");

        calls(4); // version 1 answers again
        evaluate();
        node.runtime().alerts().tick();
        assertThat(node.deployments().history("assistant"))
                .extracting(c -> c.action())
                .containsExactly("promoted", "rolled_back");
        assertThat(node.deployments().current("assistant").production()).isEqualTo("1");

        List<JsonNode> events = auditEvents();
        assertThat(events)
                .filteredOn(e -> e.get("action").asText().equals("incident.rolled_back"))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.get("target").asText()).isEqualTo(id);
                    assertThat(e.get("details").get("from").asText()).isEqualTo("2");
                    assertThat(e.get("details").get("to").asText()).isEqualTo("1");
                });
        assertThat(events)
                .filteredOn(e -> e.get("action").asText().equals("deployment.rolled_back"))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.get("actor").asText()).isEqualTo("airlock");
                    assertThat(e.get("details").get("reason").asText()).startsWith("incident " + id + ":");
                });
    }

    @Test
    void withoutTheDeclaration_aFailingPromotedVersionStaysInProduction() {
        node = start("");
        waiveReadiness("2");
        assertThat(post("/v1/deployments/assistant/promote", "{\"version\":\"2\"}")
                        .statusCode())
                .isEqualTo(200);
        second.always(Behaviour.error(500, "version 2 is broken"));
        calls(4);
        evaluate();

        assertThat(get("/v1/incidents").get("data")).hasSize(1);
        assertThat(node.deployments().current("assistant").production()).isEqualTo("2");
    }

    @Test
    void twoNodesOnPostgres_openOneIncident_andEitherNodeWorksOnIt() throws Exception {
        database = TestPostgres.fromEnvironment().freshSchema();
        store = "{url: \"%s\", user: \"%s\", password: \"%s\"}"
                .formatted(
                        database.url(),
                        database.user() == null ? "" : database.user(),
                        database.password() == null ? "" : database.password());
        node = start("");
        try (Airlock other = start("")) {
            upstream.always(Behaviour.delayed(150));
            calls(3);
            for (int i = 0; i < 4; i++) {
                node.runtime().alerts().tick();
                other.runtime().alerts().tick();
                time.advance(Duration.ofSeconds(30));
            }
            JsonNode list = get("/v1/incidents").get("data");
            assertThat(list).hasSize(1);
            String id = list.get(0).get("id").asText();
            assertThat(TestHttp.post(other.baseUrl(), "/v1/incidents/" + id + "/ack", ADMIN, "")
                            .statusCode())
                    .isEqualTo(200);
            assertThat(post("/v1/incidents/" + id + "/ack", "").statusCode()).isEqualTo(409);
            assertThat(get("/v1/incidents/" + id).get("acknowledged_by").asText())
                    .isEqualTo("key:ops");
        }
    }

    /** Waives what the readiness gate misses for a version, as an operator would with a justification. */
    private void waiveReadiness(String version) {
        var scored = (DeploymentDesk.Scored) node.deploymentDesk().scorecard("assistant", version);
        for (Readiness.Result missing : scored.scorecard().missing()) {
            assertThat(node.deploymentDesk()
                            .waive(
                                    "assistant",
                                    version,
                                    missing.check().id(),
                                    "accepted for this test of incidents",
                                    null,
                                    "key:ops"))
                    .isInstanceOf(DeploymentDesk.Waived.class);
        }
    }
}
