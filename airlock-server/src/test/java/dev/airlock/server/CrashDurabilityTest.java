package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.audit.ChainVerifier;
import dev.airlock.server.config.ConfigLoader;
import dev.airlock.store.Store;
import dev.airlock.testkit.FakeOpenAi;
import dev.airlock.testkit.LocalProcesses;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing acknowledged is lost: a node is killed with SIGKILL in the middle of concurrent traffic; after a restart
 * the audit chain verifies and every request that got a 2xx has its Decision on disk.
 */
class CrashDurabilityTest {
    private static final String KEY = "ak_crash_crash-secret-0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void everyAnsweredRequest_survivesASigkillOfTheNode() throws Exception {
        try (FakeOpenAi upstream = FakeOpenAi.start()) {
            int port = LocalProcesses.freePort();
            Path config = dir.resolve("airlock.yaml");
            Files.writeString(config, """
                    server: {host: 127.0.0.1, port: %d}
                    store: {url: "jdbc:sqlite:%s"}
                    providers: {up: {kind: openai, base_url: "%s"}}
                    models: {chat: {kind: chat, provider: up}}
                    keys: [{id: crash, tenant: acme, role: app, secret: "crash-secret-0123456789abcdef"}]
                    """.formatted(port, dir.resolve("airlock.db"), upstream.baseUrl()));
            Process node = startNode(config);
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            try {
                LocalProcesses.awaitOk("http://127.0.0.1:" + port + "/readyz", Duration.ofSeconds(60));
                sendUntilKilled(port, node, acknowledged);
            } finally {
                node.destroyForcibly().waitFor();
            }

            assertThat(acknowledged).hasSizeGreaterThan(20);
            var restarted = new ConfigLoader(name -> null).load(config);
            try (Airlock again = Airlock.start(restarted);
                    Store store = Store.open(restarted.store().url(), null, null)) {
                assertThat(again.catalog().find("chat"))
                        .as("the node starts again on the crashed store")
                        .isPresent();
                assertThat(ChainVerifier.verify(store.auditChain()))
                        .isInstanceOf(ChainVerifier.Verification.Intact.class);
                for (String id : acknowledged) {
                    assertThat(store.decisionLog().findDecision(id))
                            .as("decision " + id)
                            .isPresent();
                }
            }
        }
    }

    /** Eight senders; after a few dozen answers the node is killed while they are still sending. */
    private static void sendUntilKilled(int port, Process node, Set<String> acknowledged) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"durable?\"}]}"))
                .build();
        var enough = new CountDownLatch(60);
        var killed = new AtomicBoolean();
        try (var senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int s = 0; s < 8; s++) {
                senders.submit(() -> {
                    for (int i = 0; i < 500 && !killed.get(); i++) {
                        try {
                            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() == 200) {
                                acknowledged.add(response.headers()
                                        .firstValue("x-airlock-decision-id")
                                        .orElseThrow());
                                enough.countDown();
                            }
                        } catch (IOException refusedAfterKill) {
                            return null;
                        }
                    }
                    return null;
                });
            }
            assertThat(enough.await(60, TimeUnit.SECONDS))
                    .as("the node answered requests")
                    .isTrue();
            new ProcessBuilder("kill", "-KILL", Long.toString(node.pid()))
                    .start()
                    .waitFor();
            killed.set(true);
        }
    }

    private static Process startNode(Path config) throws IOException {
        return LocalProcesses.java("", "dev.airlock.server.cli.AirlockCli", "serve", "--config", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(config.resolveSibling("node.log").toFile())
                .start();
    }
}
