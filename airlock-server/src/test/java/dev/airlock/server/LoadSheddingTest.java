package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.server.config.ConfigLoader;
import dev.airlock.testkit.FakeOpenAi;
import dev.airlock.testkit.FakeOpenAi.Behaviour;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.api.Result;
import org.eclipse.jetty.client.util.BufferingResponseListener;
import org.eclipse.jetty.client.util.StringRequestContent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ten times the load a model's upstream can take: the node keeps at most its in-flight limit at the upstream, sheds
 * the rest with a fast 429 and Retry-After instead of queueing, and every request gets an answer or a refusal.
 */
class LoadSheddingTest {
    @TempDir
    Path dir;

    @Test
    void atTenTimesCapacity_excessIsShedFastWith429_andTheUpstreamNeverSeesMoreThanItsLimit() throws Exception {
        try (FakeOpenAi slow = FakeOpenAi.start()) {
            slow.always(Behaviour.delayed(200)); // 4 slots x 5 calls/s each = 20 calls/s of capacity
            String yaml = """
                    server: {port: 0}
                    store: {url: "jdbc:sqlite:%s"}
                    providers:
                      slow: {kind: openai, base_url: "%s", max_in_flight: 4, queue: 4, queue_timeout: 50ms}
                    models:
                      busy: {kind: chat, provider: slow, retry: {attempts: 1}}
                    keys:
                      - {id: app1, tenant: acme, role: app, secret: "app-secret-0123456789abcdef"}
                    """.formatted(dir.resolve("airlock.db"), slow.baseUrl());
            var config = new ConfigLoader(name -> null).parse(dir.resolve("airlock.yaml"), yaml);
            var memory = ManagementFactory.getMemoryMXBean();
            try (Airlock node = Airlock.start(config)) {
                // Jetty's client: the JDK's own pools connections poorly at this rate and would measure itself
                var http = new HttpClient();
                http.setMaxConnectionsPerDestination(1_000);
                http.start();
                String url = node.baseUrl() + "/v1/chat/completions";
                String body = "{\"model\":\"busy\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
                System.gc();
                long heapBefore = memory.getHeapMemoryUsage().getUsed();

                // 200 requests/s (10x) for 3 s, open loop: the sender does not wait for answers
                record Answer(int status, String retryAfter, String body, long nanos) {}
                List<CompletableFuture<Answer>> sent = new ArrayList<>();
                long start = System.nanoTime();
                for (int i = 0; i < 600; i++) {
                    long due = start + i * 5_000_000L;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    long sentAt = System.nanoTime();
                    var future = new CompletableFuture<Answer>();
                    http.POST(url)
                            .headers(h -> h.put("Authorization", "Bearer ak_app1_app-secret-0123456789abcdef"))
                            .body(new StringRequestContent("application/json", body))
                            .timeout(20, TimeUnit.SECONDS)
                            .send(new BufferingResponseListener() {
                                @Override
                                public void onComplete(Result result) {
                                    if (result.isFailed()) {
                                        future.completeExceptionally(result.getFailure());
                                    } else {
                                        future.complete(new Answer(
                                                result.getResponse().getStatus(),
                                                result.getResponse()
                                                        .getHeaders()
                                                        .get("Retry-After"),
                                                getContentAsString(),
                                                System.nanoTime() - sentAt));
                                    }
                                }
                            });
                    sent.add(future);
                }
                int ok = 0;
                int shed = 0;
                List<Long> shedMillis = new ArrayList<>();
                for (var future : sent) {
                    Answer answer = future.get(30, TimeUnit.SECONDS);
                    if (answer.status() == 200) {
                        ok++;
                    } else {
                        assertThat(answer.status()).as(answer.body()).isEqualTo(429);
                        assertThat(answer.retryAfter()).isEqualTo("1");
                        assertThat(answer.body()).contains("\"code\":\"overloaded\"");
                        shed++;
                        shedMillis.add(answer.nanos() / 1_000_000);
                    }
                }
                http.stop();
                shedMillis.sort(null);
                assertThat(ok + shed).isEqualTo(600);
                // the limit is 4; the fake upstream counts a request until its handler returns, which can overlap the
                // node's next call by a moment after the answer arrived, so it may observe one more
                assertThat(slow.maxConcurrent()).as("in flight at the upstream").isLessThanOrEqualTo(5);
                assertThat(ok).as("about capacity (20/s for 3 s) got through").isBetween(40, 140);
                assertThat(shed).as("the excess was shed").isGreaterThan(400);
                assertThat(shedMillis.get(shedMillis.size() * 99 / 100))
                        .as("p99 time to a 429, ms")
                        .isLessThan(1_000);
                System.gc();
                long grown = memory.getHeapMemoryUsage().getUsed() - heapBefore;
                assertThat(grown).as("heap growth after the burst").isLessThan(64L << 20);
            }
        }
    }
}
