package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.airlock.cost.SpendRow;
import dev.airlock.server.config.ConfigLoader;
import dev.airlock.store.Store;
import dev.airlock.testkit.FakeOpenAi;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route that spends money holds its estimate against the same budgets before it spends: chat, streamed chat,
 * embeddings, repairs of invalid answers, and shadow copies. Each route spends for its own tenant, whose hard budget is
 * a few calls' worth; calling until refused must end in 429 {@code budget_exceeded} with the recorded spend within the
 * limit. The upstream charges $1,000 per million tokens both ways ($0.001 a token) and counts words.
 */
class SpendingRoutesTest {
    private static final BigDecimal HARD = new BigDecimal("0.03");
    // a repair sends the conversation so far again: attempts grow, so that budget is larger
    private static final BigDecimal REPAIR_HARD = new BigDecimal("0.2");

    @TempDir
    static Path dir;

    static FakeOpenAi upstream;
    static Airlock node;

    @BeforeAll
    static void start() {
        upstream = FakeOpenAi.start();
        String yaml =
                """
                server: {port: 0}
                bootstrap: {admin_tenant: ops}
                store: {url: "jdbc:sqlite:%s"}
                providers:
                  paid:
                    kind: openai
                    base_url: "%s"
                    breaker: {window: 1000, min_calls: 1000}
                    prices: {gpt-paid: {input: 1000, output: 1000}, emb-paid: {input: 1000, output: 0}}
                models:
                  paid: {kind: chat, provider: paid, upstream_model: gpt-paid}
                  paid-embed: {kind: embedding, provider: paid, upstream_model: emb-paid}
                  checked: {kind: chat, provider: paid, upstream_model: gpt-paid, output: {validate: true, max_repairs: 5}}
                  shadowed:
                    kind: chat
                    provider: paid
                    upstream_model: gpt-paid
                    version: "1"
                    versions:
                      "1": {}
                      "2": {}
                deployments: {refresh: 100ms}
                budgets:
                  - {name: chat, tenant: t-chat, period: day, hard: %s}
                  - {name: stream, tenant: t-stream, period: day, hard: %s}
                  - {name: embed, tenant: t-embed, period: day, hard: %s}
                  - {name: repair, tenant: t-repair, period: day, hard: %s}
                  - {name: shadow, tenant: t-shadow, period: day, hard: %s}
                  - {name: tools, tenant: t-tools, period: day, hard: %s}
                keys:
                  - {id: chat, tenant: t-chat, role: app, secret: "chat-secret-0123456789abcdef"}
                  - {id: stream, tenant: t-stream, role: app, secret: "stream-secret-0123456789abcdef"}
                  - {id: embed, tenant: t-embed, role: app, secret: "embed-secret-0123456789abcdef"}
                  - {id: repair, tenant: t-repair, role: app, secret: "repair-secret-0123456789abcdef"}
                  - {id: shadow, tenant: t-shadow, role: app, secret: "shadow-secret-0123456789abcdef"}
                  - {id: tools, tenant: t-tools, role: app, secret: "tools-secret-0123456789abcdef"}
                  - {id: oper, tenant: ops, role: operator, secret: "oper-secret-0123456789abcdef"}
                """.formatted(dir.resolve("airlock.db"), upstream.baseUrl(), HARD, HARD, HARD, REPAIR_HARD, HARD, HARD);
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

    private static HttpResponse<String> post(String path, String keyId, String body) {
        return TestHttp.post(node.baseUrl(), path, key(keyId), body);
    }

    private static final String CHAT =
            "{\"model\":\"%s\",\"max_tokens\":2,%s\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Test
    void chat_isRefusedOnceItsBudgetIsSpent() {
        assertRefusedWithinBudget("t-chat", () -> post("/v1/chat/completions", "chat", CHAT.formatted("paid", "")));
    }

    @Test
    void streamedChat_isRefusedOnceItsBudgetIsSpent() {
        assertRefusedWithinBudget(
                "t-stream", () -> post("/v1/chat/completions", "stream", CHAT.formatted("paid", "\"stream\":true,")));
    }

    @Test
    void embeddings_areRefusedOnceTheirBudgetIsSpent() {
        assertRefusedWithinBudget(
                "t-embed",
                () -> post(
                        "/v1/embeddings",
                        "embed",
                        "{\"model\":\"paid-embed\",\"input\":\"one two three four five six seven eight\"}"));
    }

    @Test
    void repairs_holdTheirOwnEstimate_andAreRefusedRatherThanSpentPastTheBudget() {
        // the fake upstream echoes, which is never JSON: every answer asks for a repair, each longer than the last
        String body = "{\"model\":\"checked\",\"max_tokens\":40,\"response_format\":{\"type\":\"json_object\"},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

        HttpResponse<String> first = post("/v1/chat/completions", "repair", body);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(429);
        assertThat(TestNode.parse(first.body()).path("error").path("code").asText())
                .isEqualTo("budget_exceeded");
        assertThat(upstream.received().size()).isGreaterThan(1);
        BigDecimal spent = spent("t-repair");
        assertThat(spent).isPositive().isLessThanOrEqualTo(REPAIR_HARD);
    }

    @Test
    void toolDefinitions_countInTheEstimate_soThatAShortMessageWithLongToolsCannotPassTheBudget() {
        // 100 words of tool description are 100 prompt tokens ($0.10), past the $0.03 budget however short the message
        String tools = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"description\":\""
                + "look up the order ".repeat(25) + "\",\"parameters\":{\"type\":\"object\"}}}],";

        HttpResponse<String> r = post("/v1/chat/completions", "tools", CHAT.formatted("paid", tools));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
        assertThat(TestNode.parse(r.body()).path("error").path("code").asText()).isEqualTo("budget_exceeded");
        assertThat(spent("t-tools")).isLessThanOrEqualTo(HARD);
    }

    @Test
    void shadowCopies_spendAgainstTheSameBudget() {
        HttpResponse<String> shadow =
                TestHttp.send(TestHttp.request(node.baseUrl(), "/v1/deployments/shadowed/shadow", key("oper"))
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"version\":\"2\"}"))
                        .build());
        assertThat(shadow.statusCode()).as(shadow.body()).isEqualTo(200);

        assertRefusedWithinBudget(
                "t-shadow", () -> post("/v1/chat/completions", "shadow", CHAT.formatted("shadowed", "")));

        try (Store store = Store.open("jdbc:sqlite:" + dir.resolve("airlock.db"), null, null)) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> store.decisionLog().recentDecisions("t-shadow", 100).stream()
                            .anyMatch(d -> "2".equals(d.modelVersion()) && d.cost() != null));
        }
        assertThat(spent("t-shadow")).isLessThanOrEqualTo(HARD);
    }

    /** Calls until refused: the refusal names the budget, and what was recorded stays within it. */
    private static void assertRefusedWithinBudget(String tenant, Supplier<HttpResponse<String>> call) {
        HttpResponse<String> refused = null;
        int answered = 0;
        for (int i = 0; i < 40 && refused == null; i++) {
            HttpResponse<String> r = call.get();
            if (r.statusCode() == 200) {
                answered++;
            } else {
                refused = r;
            }
        }
        assertThat(answered).isPositive();
        assertThat(refused).as("a call was refused").isNotNull();
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
        assertThat(TestNode.parse(refused.body()).path("error").path("code").asText())
                .isEqualTo("budget_exceeded");
        BigDecimal spent = spent(tenant);
        assertThat(spent).isPositive().isLessThanOrEqualTo(HARD);
    }

    private static BigDecimal spent(String tenant) {
        try (Store store = Store.open("jdbc:sqlite:" + dir.resolve("airlock.db"), null, null)) {
            Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
            return store.spendSource().spend(tenant, today, today.plus(Duration.ofDays(1)), null, false).stream()
                    .map(SpendRow::cost)
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
        }
    }
}
