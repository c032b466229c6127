package dev.airlock.server;

import static dev.airlock.server.TestNode.APP_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.decision.Outcome;
import dev.airlock.store.Store;
import dev.airlock.store.TestDatabase;
import dev.airlock.store.TestPostgres;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same node on PostgreSQL: keys bootstrap into it, calls are authenticated from it and recorded in it. */
class PostgresNodeTest {
    @TempDir
    Path dir;

    @Test
    void aNodeOnPostgres_authenticatesAndRecordsDecisionsThere() throws Exception {
        try (TestDatabase database = TestPostgres.fromEnvironment().freshSchema();
                TestNode node = TestNode.start(dir, database.url(), database.user(), database.password())) {
            HttpResponse<String> response = node.post(
                    "/v1/chat/completions",
                    APP_KEY,
                    Map.of(
                            "model",
                            "assistant",
                            "messages",
                            List.of(Map.of("role", "user", "content", "on postgres"))));

            assertThat(response.statusCode()).isEqualTo(200);
            String id = response.headers().firstValue("x-airlock-decision-id").orElseThrow();
            try (Store store = node.openStore()) {
                var decision = store.decisionLog().findDecision(id).orElseThrow();
                assertThat(decision.outcome()).isInstanceOf(Outcome.Answered.class);
                assertThat(decision.principal().tenant()).isEqualTo("acme");
                assertThat(store.decisionLog().recentDecisions("acme", 10))
                        .extracting(d -> d.id())
                        .contains(id);
                assertThat(store.decisionLog().recentDecisions("globex", 10)).isEmpty();
            }
        }
    }

    @Test
    void oneTenantsUnstorableCalls_neverFailAnotherTenantsCalls() throws Exception {
        try (TestDatabase database = TestPostgres.fromEnvironment().freshSchema();
                TestNode node = TestNode.start(dir, database.url(), database.user(), database.password())) {
            String valid = "{\"model\":\"assistant\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            String poisoned = "{\"model\":\"assi\\u0000stant\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Future<HttpResponse<String>>> good = new ArrayList<>();
                List<Future<HttpResponse<String>>> bad = new ArrayList<>();
                for (int i = 0; i < 60; i++) {
                    bad.add(pool.submit(() -> node.post("/v1/chat/completions", TestNode.OTHER_TENANT_KEY, poisoned)));
                    good.add(pool.submit(() -> node.post("/v1/chat/completions", APP_KEY, valid)));
                }
                for (var f : good) {
                    HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                }
                for (var f : bad) {
                    HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
                    assertThat(r.body()).contains("\"param\":\"model\"");
                }
            } finally {
                pool.shutdownNow();
            }
            try (Store store = node.openStore()) {
                assertThat(store.decisionLog().recentDecisions("acme", 100)).hasSize(60);
            }
        }
    }
}
