package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.server.config.ConfigLoader;
import dev.airlock.testkit.FakeOpenAi;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opt-in answer caches: an identical request, or one close in meaning (the in-process all-MiniLM-L6-v2 embeddings),
 * is answered from the cache within the tenant; the hit is a Decision of its own, at no cost.
 */
class CacheTest {
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
                  up: {kind: openai, base_url: "%s", prices: {gpt: {input: 1, output: 2}}}
                  minilm: {kind: minilm-embeddings}
                models:
                  embed: {kind: embedding, provider: minilm}
                  exact: {kind: chat, provider: up, upstream_model: gpt, cache: {exact: {ttl: 1m}}}
                  similar:
                    kind: chat
                    provider: up
                    upstream_model: gpt
                    cache: {semantic: {embedding_model: embed, threshold: 0.9}}
                keys:
                  - {id: app1, tenant: acme, role: app, secret: "app1-secret-0123456789abcdef"}
                  - {id: app2, tenant: globex, role: app, secret: "app2-secret-0123456789abcdef"}
                  - {id: audit1, tenant: acme, role: auditor, secret: "audit1-secret-0123456789abcdef"}
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

    private static HttpResponse<String> chat(String keyId, String model, String text, boolean stream) {
        return TestHttp.post(
                node.baseUrl(),
                "/v1/chat/completions",
                "ak_" + keyId + "_" + keyId + "-secret-0123456789abcdef",
                "{\"model\":\"" + model + "\",\"stream\":" + stream
                        + ",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}");
    }

    private static JsonNode decisionOf(HttpResponse<String> response) {
        return TestHttp.decisionOf(node.baseUrl(), response, "ak_audit1_audit1-secret-0123456789abcdef");
    }

    @Test
    void anIdenticalRequest_isAnsweredFromTheCache_asItsOwnDecision_atNoCost() {
        HttpResponse<String> first = chat("app1", "exact", "What is the capital of France?", false);
        HttpResponse<String> second = chat("app1", "exact", "What is the capital of France?", false);

        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(upstream.received()).hasSize(1);
        JsonNode hit = decisionOf(second);
        assertThat(hit.path("id").asText())
                .isNotEqualTo(decisionOf(first).path("id").asText());
        assertThat(hit.path("provider").asText()).isEqualTo("cache:exact");
        assertThat(hit.path("cost_usd").asText()).isEqualTo("0");
        assertThat(hit.path("notes").findValuesAsText("verdict")).contains("cache_hit");
        assertThat(decisionOf(first).path("cost_usd").asText()).isNotEqualTo("0");
    }

    @Test
    void anotherTenant_aDifferentOption_orAStream_isNotServedFromTheCache() {
        chat("app1", "exact", "Tell me about Lyon", false);

        chat("app2", "exact", "Tell me about Lyon", false);
        chat("app1", "exact", "Tell me about Lyon", true);

        assertThat(upstream.received()).hasSize(3);
    }

    @Test
    void theSameTextWithAnotherImage_isNotAnsweredFromTheCache() {
        for (String image : new String[] {"AAAA", "BBBB", "AAAA"}) {
            TestHttp.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/v1/chat/completions"))
                    .header("Authorization", "Bearer ak_app1_app1-secret-0123456789abcdef")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"exact\",\"messages\":[{\"role\":\"user\","
                            + "\"content\":[{\"type\":\"text\",\"text\":\"What is in this image?\"},"
                            + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64," + image
                            + "\"}}]}]}"))
                    .build());
        }

        assertThat(upstream.received())
                .as("two images, the second A from the cache")
                .hasSize(2);
    }

    @Test
    void aRequestCloseInMeaning_isServedFromTheSemanticCache_anUnrelatedOneIsNot() {
        chat("app1", "similar", "What is the capital city of Italy?", false);

        HttpResponse<String> paraphrase = chat("app1", "similar", "what is the capital city of italy", false);
        HttpResponse<String> unrelated = chat("app1", "similar", "How do I bake sourdough bread?", false);

        assertThat(upstream.received()).hasSize(2);
        JsonNode hit = decisionOf(paraphrase);
        assertThat(hit.path("provider").asText()).isEqualTo("cache:semantic");
        assertThat(hit.path("notes").findValuesAsText("detail"))
                .anyMatch(d -> d.startsWith("semantic (similarity 0.9"));
        assertThat(decisionOf(unrelated).path("provider").asText()).isEqualTo("up");
        String metrics = TestHttp.metrics(node.baseUrl());
        assertThat(metrics)
                .contains("airlock_cache_requests_total{kind=\"semantic\",model=\"similar\",result=\"hit\"} 1.0");
    }
}
