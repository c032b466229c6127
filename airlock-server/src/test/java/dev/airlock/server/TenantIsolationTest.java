package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.server.config.ConfigLoader;
import dev.airlock.testkit.FakeOpenAi;
import dev.airlock.testkit.FakeOpenAi.Behaviour;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two tenants share one provider: one tenant's failing model or burst of calls does not take the other tenant's calls
 * down. Breakers are per provider and upstream model; a full provider shares its queue and freed slots fairly.
 */
class TenantIsolationTest {
    private static final String ACME = TestNode.APP_KEY;
    private static final String GLOBEX = TestNode.OTHER_TENANT_KEY;

    @TempDir
    static Path dir;

    static FakeOpenAi upstream;
    static Airlock node;

    @BeforeAll
    static void start() {
        upstream = FakeOpenAi.start();
        String yaml = """
                server: {port: 0}
                store: {url: "jdbc:sqlite:%s"}
                providers:
                  shared:
                    kind: openai
                    base_url: "%s"
                    timeout: 20s
                    breaker: {failure_rate: 50, window: 4, min_calls: 4, open_for: 60s}
                    max_in_flight: 2
                    queue: 2
                    queue_timeout: 15s
                models:
                  broken-model: {kind: chat, provider: shared, upstream_model: gpt-broken, retry: {attempts: 1}}
                  healthy-model: {kind: chat, provider: shared, upstream_model: gpt-healthy, retry: {attempts: 1}}
                keys:
                  - {id: app1, tenant: acme, role: app, secret: "app-secret-0123456789abcdef"}
                  - {id: app2, tenant: globex, role: app, secret: "other-secret-0123456789abcdef"}
                """.formatted(dir.resolve("airlock.db"), upstream.baseUrl());
        node = Airlock.start(new ConfigLoader(name -> null).parse(dir.resolve("airlock.yaml"), yaml));
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        upstream.close();
    }

    @BeforeEach
    void reset() {
        upstream.clear();
    }

    private static HttpResponse<String> chat(String key, String model) {
        return TestHttp.post(
                node.baseUrl(),
                "/v1/chat/completions",
                key,
                "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}");
    }

    @Test
    void aFailingUpstreamModel_opensItsOwnBreaker_notTheOneOfAnotherTenantsHealthyModelOnTheSameProvider() {
        upstream.always("gpt-broken", Behaviour.error(500, "this model is broken"));
        for (int i = 0; i < 4; i++) {
            assertThat(chat(ACME, "broken-model").statusCode()).isEqualTo(502);
        }
        assertThat(chat(ACME, "broken-model").statusCode())
                .as("the broken model's breaker is open")
                .isEqualTo(503);

        HttpResponse<String> other = chat(GLOBEX, "healthy-model");

        assertThat(other.statusCode()).as(other.body()).isEqualTo(200);
        assertThat(upstream.lastReceived().body().path("model").asText()).isEqualTo("gpt-healthy");
        String metrics = TestHttp.metrics(node.baseUrl());
        assertThat(metrics)
                .contains("airlock_breaker_state{provider=\"shared\",upstream_model=\"gpt-broken\"} 2.0")
                .contains("airlock_breaker_state{provider=\"shared\",upstream_model=\"gpt-healthy\"} 0.0");
    }

    @Test
    void oneTenantsBurst_cannotFillTheSlotsAndQueue_soThatAnotherTenantIsShed() throws Exception {
        upstream.hold();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HttpResponse<String>>> acme = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                acme.add(callers.submit(() -> chat(ACME, "healthy-model")));
            }
            Awaitility.await("acme holds both slots").until(() -> upstream.heldNow() == 2);
            for (int i = 0; i < 2; i++) {
                acme.add(callers.submit(() -> chat(ACME, "healthy-model")));
            }
            Awaitility.await("acme fills the queue")
                    .until(() -> TestHttp.metrics(node.baseUrl())
                            .contains("airlock_upstream_waiting{provider=\"shared\"} 2.0"));
            assertThat(chat(ACME, "healthy-model").statusCode())
                    .as("acme's burst beyond the slots and the queue is shed")
                    .isEqualTo(429);

            Future<HttpResponse<String>> globex = callers.submit(() -> chat(GLOBEX, "healthy-model"));

            // globex takes the place of acme's newest waiting call, or (before fairness) is shed itself
            Awaitility.await("someone gives way")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> globex.isDone() || acme.stream().anyMatch(Future::isDone));
            upstream.release();
            HttpResponse<String> served = globex.get();
            assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
            List<Integer> acmeStatuses = new ArrayList<>();
            for (var call : acme) {
                acmeStatuses.add(call.get().statusCode());
            }
            assertThat(acmeStatuses).containsExactlyInAnyOrder(200, 200, 200, 429);
        } finally {
            upstream.release();
        }
    }
}
