package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.cost.SpendRow;
import dev.airlock.server.config.ConfigLoader;
import dev.airlock.store.Store;
import dev.airlock.store.TestDatabase;
import dev.airlock.store.TestPostgres;
import dev.airlock.testkit.FakeOpenAi;
import dev.airlock.testkit.FakeOpenAi.Behaviour;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on one PostgreSQL hold one budget ledger and one set of rate limits: a hard budget and a requests-per-minute
 * limit hold for both together. The upstream charges $0.001 a token and counts words, so a call costs $0.003; with
 * {@code max_tokens: 2} it is estimated at $0.007, which covers it, so the stated bound (what calls cost beyond their
 * estimates) is zero here and spend must never pass the hard limit.
 */
class SharedBudgetsTest {
    private static final BigDecimal HARD = new BigDecimal("0.05");

    @TempDir
    Path dir;

    TestDatabase database;
    FakeOpenAi upstream;
    Airlock first;
    Airlock second;

    @BeforeEach
    void start() throws Exception {
        database = TestPostgres.fromEnvironment().freshSchema();
        upstream = FakeOpenAi.start();
        first = node("a");
        second = node("b");
    }

    private Airlock node(String name) {
        String yaml = """
                server: {port: 0}
                store: {url: "%s", user: "%s", password: "%s"}
                providers:
                  paid:
                    kind: openai
                    base_url: "%s"
                    breaker: {window: 1000, min_calls: 1000}
                    prices: {gpt-paid: {input: 1000, output: 1000}}
                models:
                  paid: {kind: chat, provider: paid, upstream_model: gpt-paid}
                budgets:
                  - {name: acme-daily, tenant: acme, period: day, hard: %s}
                  - {name: initech-alert, tenant: initech, period: day, soft: 1}
                rate_limits:
                  keys: {limited: {requests_per_minute: 5}}
                keys:
                  - {id: app1, tenant: acme, role: app, secret: "app1-secret-0123456789abcdef"}
                  - {id: limited, tenant: initech, role: app, secret: "limited-secret-0123456789abcdef"}
                audit: {signing_key: "%s"}
                """.formatted(
                        database.url(),
                        database.user() == null ? "" : database.user(),
                        database.password() == null ? "" : database.password(),
                        upstream.baseUrl(),
                        HARD,
                        dir.resolve("signing.key"));
        return Airlock.start(new ConfigLoader(n -> null).parse(dir.resolve(name + ".yaml"), yaml));
    }

    @AfterEach
    void stop() throws Exception {
        for (Airlock node : new Airlock[] {first, second}) {
            if (node != null) {
                node.close();
            }
        }
        // without PostgreSQL the test is skipped in start(), before the upstream or the schema exist
        if (upstream != null) {
            upstream.close();
        }
        if (database != null) {
            database.close();
        }
    }

    private static HttpResponse<String> chat(Airlock node, String keyId) {
        return TestHttp.post(
                node.baseUrl(),
                "/v1/chat/completions",
                "ak_" + keyId + "_" + keyId + "-secret-0123456789abcdef",
                "{\"model\":\"paid\",\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    }

    @Test
    void concurrentBurstsOnTwoNodes_neverSpendPastTheHardBudget() throws Exception {
        upstream.always(Behaviour.delayed(100));
        List<Future<HttpResponse<String>>> calls = new ArrayList<>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 30; i++) {
                calls.add(threads.submit(() -> chat(first, "app1")));
                calls.add(threads.submit(() -> chat(second, "app1")));
            }
        }
        int answered = 0;
        for (var call : calls) {
            HttpResponse<String> r = call.get();
            if (r.statusCode() == 200) {
                answered++;
            } else {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
                assertThat(r.body()).contains("budget_exceeded");
            }
        }

        BigDecimal spent = spent("acme");
        assertThat(spent).isLessThanOrEqualTo(HARD);
        assertThat(spent).isEqualByComparingTo(new BigDecimal("0.003").multiply(BigDecimal.valueOf(answered)));
        assertThat(answered).isPositive();
        // once settled, nothing stays reserved, and the next call on either node is refused
        upstream.clear();
        HttpResponse<String> after = chat(second, "app1");
        if (spent.add(new BigDecimal("0.007")).compareTo(HARD) > 0) {
            assertThat(after.statusCode()).isEqualTo(429);
        }
    }

    @Test
    void anAbsurdMaxTokens_isRefusedByAHardBudget_andPassesASoftOne_neverA503() {
        for (String maxTokens : new String[] {"1000000000000000", "1e30", "9223372036854775807"}) {
            String body = "{\"model\":\"paid\",\"max_tokens\":" + maxTokens
                    + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

            HttpResponse<String> hard = TestHttp.post(
                    first.baseUrl(), "/v1/chat/completions", "ak_app1_app1-secret-0123456789abcdef", body);
            HttpResponse<String> soft = TestHttp.post(
                    second.baseUrl(), "/v1/chat/completions", "ak_limited_limited-secret-0123456789abcdef", body);

            assertThat(hard.statusCode()).as(maxTokens + ": " + hard.body()).isEqualTo(429);
            assertThat(hard.body()).contains("budget_exceeded").contains("acme-daily");
            assertThat(soft.statusCode()).as(maxTokens + ": " + soft.body()).isEqualTo(200);
        }
    }

    @Test
    void aRequestsPerMinuteLimit_holdsForBothNodesTogether() {
        int answered = 0;
        for (int i = 0; i < 4; i++) {
            answered += chat(first, "limited").statusCode() == 200 ? 1 : 0;
            answered += chat(second, "limited").statusCode() == 200 ? 1 : 0;
        }

        assertThat(answered).isEqualTo(5);
    }

    private BigDecimal spent(String tenant) {
        try (Store store = database.open()) {
            Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
            return store.spendSource().spend(tenant, today, today.plus(Duration.ofDays(1)), null, false).stream()
                    .map(SpendRow::cost)
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
        }
    }
}
