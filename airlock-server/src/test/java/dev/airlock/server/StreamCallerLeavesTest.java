package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.airlock.server.config.ConfigLoader;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that leaves a Responses stream after its answer was decided: the Decision is recorded and the response it
 * answered is stored, although nobody is left to read the stream's tail. Deterministic: the upstream holds its last
 * chunk until the client has reset its connection, so every write after that one comes after the Decision.
 */
class StreamCallerLeavesTest {
    private static final String APP = "ak_app1_app-secret-0123456789abcdef";

    @TempDir
    Path dir;

    private static String chunk(String delta, String finish) {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"up\","
                + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finish + "}]}\n\n";
    }

    @Test
    void aClientThatResetsItsStream_afterTheLastText_stillGetsItsResponseStored() throws Exception {
        CountDownLatch clientGone = new CountDownLatch(1);
        HttpServer upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/v1/chat/completions", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write((chunk("{\"role\":\"assistant\",\"content\":\"\"}", "null")
                                + chunk("{\"content\":\"Hello\"}", "null"))
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
                clientGone.await(20, TimeUnit.SECONDS); // bounded: the test releases it at once
                out.write((chunk("{}", "\"stop\"") + "data: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        upstream.start();
        String yaml =
                """
                server: {host: 127.0.0.1, port: 0}
                store: {url: "jdbc:sqlite:%s"}
                providers:
                  up: {kind: openai, base_url: "http://127.0.0.1:%d/v1", timeout: 30s}
                models:
                  assistant:
                    kind: chat
                    provider: up
                    upstream_model: up
                    retention: {content: full, keep_for: 1h}
                keys:
                  - {id: app1, tenant: acme, role: app, secret: "app-secret-0123456789abcdef"}
                """.formatted(dir.resolve("airlock.db"), upstream.getAddress().getPort());
        try (Airlock node = Airlock.start(new ConfigLoader(name -> null).parse(dir.resolve("airlock.yaml"), yaml))) {
            URI base = URI.create(node.baseUrl());
            String body = "{\"model\":\"assistant\",\"input\":\"Say hello\",\"stream\":true}";
            String responseId;
            try (Socket client = new Socket(base.getHost(), base.getPort())) {
                client.setSoTimeout(20_000);
                client.getOutputStream()
                        .write(("POST /v1/responses HTTP/1.1\r\nHost: " + base.getHost() + "\r\nAuthorization: Bearer "
                                        + APP + "\r\nContent-Type: application/json\r\nContent-Length: "
                                        + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
                                .getBytes(StandardCharsets.UTF_8));
                String read = readUntil(client.getInputStream(), "\"delta\":\"Hello\"");
                Matcher id = Pattern.compile("\"id\":\"(resp_[0-9a-f]+)\"").matcher(read);
                assertThat(id.find()).as(read).isTrue();
                responseId = id.group(1);
                client.setSoLinger(true, 0); // close with a reset, as a client killed mid-stream does
            }
            clientGone.countDown();

            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> TestHttp.get(node.baseUrl(), "/v1/responses/" + responseId, APP)
                                    .statusCode()
                            == 200);
            var stored = TestNode.json(TestHttp.get(node.baseUrl(), "/v1/responses/" + responseId, APP));
            assertThat(stored.path("status").asText()).isEqualTo("completed");
            assertThat(stored.at("/output/0/content/0/text").asText()).isEqualTo("Hello");
        } finally {
            upstream.stop(0);
        }
    }

    /** What the socket gives until {@code marker} has been read (bounded by the socket's timeout). */
    private static String readUntil(InputStream in, String marker) throws Exception {
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[4096];
        while (text.indexOf(marker) < 0) {
            int n = in.read(buffer);
            if (n < 0) {
                throw new AssertionError("the stream ended before " + marker + ": " + text);
            }
            text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        }
        return text.toString();
    }
}
