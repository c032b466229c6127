package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;
import dev.airlock.server.config.ConfigLoader;
import dev.airlock.store.TestDatabase;
import dev.airlock.store.TestPostgres;
import dev.airlock.testkit.FakeOpenAi;
import dev.airlock.testkit.FakeOpenAi.Behaviour;
import dev.airlock.time.FakeTime;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerts as an owner meets them: a slow or failing upstream breaks the model's thresholds, the owner's contact hears
 * once (webhook, Slack-shaped webhook, e-mail on a real SMTP server), the escalation list when nobody acknowledges,
 * and both when it clears. Time is fake: the node's clock moves only when the test says; evaluation runs when the test
 * calls {@code tick()} ({@code evaluate_every: 0s}).
 */
class AlertsTest {
    private static final String ADMIN = "ak_ops_ops-secret-0123456789abcdef";
    private static final String APP = "ak_app_app-secret-0123456789abcdef";
    private static final String HOOK_TOKEN = "hook-secret-token-0123456789";
    private static final String SMTP_PASSWORD = "smtp-secret-pw-0123456789";

    @TempDir
    Path dir;

    final FakeTime time = new FakeTime();
    FakeOpenAi upstream;
    GreenMail mail;
    HttpServer receiver;
    final List<String> hooks = new CopyOnWriteArrayList<>();
    final List<String> slack = new CopyOnWriteArrayList<>();
    final AtomicInteger failHooks = new AtomicInteger();
    Airlock node;
    TestDatabase database;

    @BeforeEach
    void start() throws Exception {
        upstream = FakeOpenAi.start();
        mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        mail.start();
        mail.setUser("alerts@airlock.example", "alerts", SMTP_PASSWORD);
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = failHooks.get() > 0 ? 500 : 204;
            if (status == 204) {
                (exchange.getRequestURI().getPath().startsWith("/slack") ? slack : hooks).add(body);
            }
            exchange.sendResponseHeaders(status, -1);
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
        mail.stop();
        upstream.close();
        if (database != null) {
            database.close();
        }
    }

    private String yaml(String store, String extra) {
        String hook = "http://127.0.0.1:" + receiver.getAddress().getPort();
        return """
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
                models:
                  assistant:
                    kind: chat
                    provider: up
                    upstream_model: gpt-x
                    retry: {attempts: 1}
                    owner: credit-risk-team
                    operations:
                      contact: oncall@example.com
                      escalation: [head@example.com]
                      runbook: https://wiki.example/runbooks/assistant
                      thresholds: {latency_p99_ms: 100, error_rate: 0.2}
                keys:
                  - {id: ops, tenant: default, role: admin, secret: "ops-secret-0123456789abcdef"}
                  - {id: app, tenant: default, role: app, secret: "app-secret-0123456789abcdef"}
                alerts:
                  evaluate_every: 0s
                  window: 1h
                  for: 1m
                  min_calls: 3
                  escalate_after: 10m
                  attempts: 3
                  backoff: 10s
                  contact: [platform@example.com]
                  channels:
                    hook: {kind: webhook, url: "%s/hook?token=%s"}
                    team: {kind: slack, url: "%s/slack/%s"}
                    mail: {kind: smtp, host: 127.0.0.1, port: %d, user: alerts, password: "%s", from: alerts@airlock.example}
                """.formatted(
                                store,
                                dir.resolve("signing.key"),
                                upstream.baseUrl(),
                                hook,
                                HOOK_TOKEN,
                                hook,
                                HOOK_TOKEN,
                                mail.getSmtp().getPort(),
                                SMTP_PASSWORD)
                + extra;
    }

    private Airlock start(String extra) {
        return start("{url: \"jdbc:sqlite:" + dir.resolve("airlock.db") + "\"}", extra, "airlock");
    }

    private Airlock start(String store, String extra, String name) {
        return Airlock.start(
                new ConfigLoader(n -> null).parse(dir.resolve(name + ".yaml"), yaml(store, extra)), time.clock());
    }

    private void calls(Airlock on, int n) {
        for (int i = 0; i < n; i++) {
            TestHttp.post(
                    on.baseUrl(),
                    "/v1/chat/completions",
                    APP,
                    "{\"model\":\"assistant\",\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        }
        time.advance(Duration.ofSeconds(1));
    }

    private JsonNode alerts(String query) {
        return TestNode.json(TestHttp.get(node.baseUrl(), "/v1/alerts" + query, ADMIN));
    }

    private List<String> mailTo(String address) throws Exception {
        return Arrays.stream(mail.getReceivedMessages())
                .filter(m -> {
                    try {
                        return Arrays.stream(m.getAllRecipients())
                                .anyMatch(a -> a.toString().equals(address));
                    } catch (Exception e) {
                        return false;
                    }
                })
                .filter(distinctMessages())
                .map(m -> {
                    try {
                        return m.getSubject();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toList();
    }

    /** GreenMail keeps one copy per recipient; a message to two people counts once. */
    private static Predicate<MimeMessage> distinctMessages() {
        Set<String> seen = new HashSet<>();
        return m -> {
            try {
                return seen.add(m.getMessageID());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    @Test
    void slowUpstream_notifiesOwnerOnce_escalatesUnacknowledged_resolvesWhenItClears() throws Exception {
        node = start("");
        upstream.always(Behaviour.delayed(150));
        calls(node, 3);

        node.runtime().alerts().tick();
        assertThat(alerts("?state=pending").get("data")).hasSize(1);
        time.advance(Duration.ofMinutes(1));
        node.runtime().alerts().tick();
        node.runtime().alerts().tick();

        JsonNode firing = alerts("?state=firing").get("data").get(0);
        assertThat(firing.get("rule").asText()).isEqualTo("latency_p99_ms");
        assertThat(firing.get("model").asText()).isEqualTo("assistant");
        assertThat(hooks).singleElement().satisfies(body -> {
            JsonNode b = TestNode.parse(body);
            assertThat(b.get("stage").asText()).isEqualTo("firing");
            assertThat(b.get("alert").get("rule").asText()).isEqualTo("latency_p99_ms");
            assertThat(b.get("recipients").get(0).asText()).isEqualTo("oncall@example.com");
            assertThat(b.get("runbook").asText()).isEqualTo("https://wiki.example/runbooks/assistant");
        });
        assertThat(TestNode.parse(slack.get(0)).get("text").asText()).startsWith("[FIRING] assistant 1:");
        assertThat(TestNode.parse(slack.get(0)).get("blocks").get(0).get("type").asText())
                .isEqualTo("section");
        assertThat(mailTo("oncall@example.com")).singleElement().asString().startsWith("[FIRING] assistant");
        assertThat(mailTo("head@example.com")).isEmpty();

        time.advance(Duration.ofMinutes(10));
        node.runtime().alerts().tick();
        assertThat(mailTo("head@example.com")).singleElement().asString().startsWith("[ESCALATED");

        upstream.always(Behaviour.normal());
        time.advance(Duration.ofHours(1));
        calls(node, 3);
        node.runtime().alerts().tick();

        assertThat(alerts("?state=resolved").get("data")).hasSize(1);
        assertThat(mailTo("oncall@example.com"))
                .as(alerts("").toString())
                .hasSize(2)
                .last()
                .asString()
                .startsWith("[RESOLVED]");
        assertThat(mailTo("head@example.com")).hasSize(2);
        assertThat(hooks).hasSize(3);
        JsonNode shown = TestNode.json(
                TestHttp.get(node.baseUrl(), "/v1/alerts/" + firing.get("id").asText(), ADMIN));
        assertThat(shown.get("history"))
                .extracting(h -> h.get("to").asText())
                .containsExactly("pending", "firing", "escalated", "resolved");
    }

    @Test
    void failingUpstream_firesErrorRate_andAcknowledgedIsNotEscalated() throws Exception {
        node = start("");
        upstream.always(Behaviour.error(500, "upstream broke"));
        calls(node, 4);
        node.runtime().alerts().tick();
        time.advance(Duration.ofMinutes(1));
        node.runtime().alerts().tick();

        // a failing call may also be slow: find the error-rate alert among those firing
        JsonNode firing = null;
        for (JsonNode a : alerts("?state=firing").get("data")) {
            firing = a.get("rule").asText().equals("error_rate") ? a : firing;
        }
        assertThat(firing).as(alerts("").toString()).isNotNull();
        assertThat(mailTo("oncall@example.com"))
                .filteredOn(s -> s.contains("error_rate 1 > 0.2"))
                .hasSize(1);

        var ack = TestHttp.post(node.baseUrl(), "/v1/alerts/" + firing.get("id").asText() + "/ack", ADMIN, "");
        assertThat(ack.statusCode()).isEqualTo(200);
        var again =
                TestHttp.post(node.baseUrl(), "/v1/alerts/" + firing.get("id").asText() + "/ack", ADMIN, "");
        assertThat(again.statusCode()).isEqualTo(409);
        // errors on /v1 take the shape every /v1 route answers in, naming what was wrong
        assertThat(again.body()).contains("alert_not_acknowledgeable").contains("acknowledged by key:ops");
        var asApp = TestHttp.get(node.baseUrl(), "/v1/alerts", APP);
        assertThat(asApp.statusCode()).isEqualTo(403);

        time.advance(Duration.ofMinutes(30));
        node.runtime().alerts().tick();
        assertThat(mailTo("head@example.com")).noneMatch(s -> s.contains("error_rate"));
    }

    @Test
    void budgetSoftLimit_notifiesTheInstallationContact() throws Exception {
        node = start("""
                budgets:
                  - {name: default-daily, tenant: default, period: day, soft: 0.001}
                """);
        calls(node, 1);
        node.runtime().alerts().tick();

        JsonNode firing = alerts("?state=firing").get("data").get(0);
        assertThat(firing.get("rule").asText()).isEqualTo("budget_soft_limit");
        assertThat(firing.get("model").asText()).isEqualTo("budget:default-daily");
        assertThat(mailTo("platform@example.com")).singleElement().asString().contains("budget_soft_limit");
    }

    @Test
    void deliveryFailures_retriedWithBackoff_thenDeadLettered_withoutSecretsInLogsOrAnswers() throws Exception {
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        PrintStream err = System.err;
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        try {
            node = start("");
            failHooks.set(1);
            upstream.always(Behaviour.delayed(150));
            calls(node, 3);
            node.runtime().alerts().tick();
            time.advance(Duration.ofMinutes(1));
            node.runtime().alerts().tick(); // attempt 1
            time.advance(Duration.ofSeconds(10));
            node.runtime().alerts().tick(); // attempt 2
            time.advance(Duration.ofSeconds(20));
            node.runtime().alerts().tick(); // attempt 3: dead
        } finally {
            System.setErr(err);
        }
        var dead = TestHttp.get(node.baseUrl(), "/v1/alerts/dead-letters", ADMIN);
        JsonNode letters = TestNode.json(dead).get("data");
        assertThat(letters).hasSize(2); // the webhook and the Slack channel; e-mail went through
        assertThat(letters.get(0).get("attempts").asInt()).isEqualTo(3);
        assertThat(letters.get(0).get("last_error").asText())
                .matches("webhook channel '(hook|team)' answered HTTP 500");
        String everything = dead.body() + alerts("").toString() + logs.toString(StandardCharsets.UTF_8);
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("dead letter");
        assertThat(everything).doesNotContain(HOOK_TOKEN).doesNotContain(SMTP_PASSWORD);
        assertThat(hooks).isEmpty();
        assertThat(mailTo("oncall@example.com")).hasSize(1);
    }

    @Test
    void silence_suppressesNotifications() throws Exception {
        node = start("");
        var created = TestHttp.post(
                node.baseUrl(),
                "/v1/silences",
                ADMIN,
                "{\"model\":\"assistant\",\"ends_at\":\""
                        + time.clock().instant().plus(Duration.ofHours(2)) + "\",\"reason\":\"upstream migration\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        var bad = TestHttp.post(node.baseUrl(), "/v1/silences", ADMIN, "{\"ends_at\":\"tomorrow\",\"reason\":\"x\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("ends_at");

        upstream.always(Behaviour.delayed(150));
        calls(node, 3);
        node.runtime().alerts().tick();
        time.advance(Duration.ofMinutes(5));
        node.runtime().alerts().tick();

        assertThat(alerts("?state=firing").get("data")).hasSize(1);
        assertThat(hooks).isEmpty();
        assertThat(mail.getReceivedMessages()).isEmpty();
    }

    @Test
    void twoNodesOnPostgres_notifyOnce() throws Exception {
        database = TestPostgres.fromEnvironment().freshSchema();
        String store = "{url: \"%s\", user: \"%s\", password: \"%s\"}"
                .formatted(
                        database.url(),
                        database.user() == null ? "" : database.user(),
                        database.password() == null ? "" : database.password());
        node = start(store, "", "a");
        try (Airlock second = start(store, "", "b")) {
            upstream.always(Behaviour.delayed(150));
            calls(node, 2);
            calls(second, 2);
            for (int i = 0; i < 4; i++) {
                node.runtime().alerts().tick();
                second.runtime().alerts().tick();
                time.advance(Duration.ofSeconds(30));
            }
        }
        assertThat(hooks).hasSize(1);
        assertThat(mailTo("oncall@example.com")).hasSize(1);
    }
}
