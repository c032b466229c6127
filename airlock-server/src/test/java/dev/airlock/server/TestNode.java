package dev.airlock.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.server.audit.SigningKeyFile;
import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.config.ConfigLoader;
import dev.airlock.store.Store;
import dev.airlock.testkit.FakeOpenAi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * A real Airlock node for tests: the server on a free port, an embedded store in a temp folder, the real
 * in-process models, and a local OpenAI-compatible upstream. Nothing of Airlock's own is mocked.
 */
final class TestNode implements AutoCloseable {
    static final String APP_KEY = "ak_app1_app-secret-0123456789abcdef";
    static final String AUDITOR_KEY = "ak_audit1_audit-secret-0123456789abcdef";
    static final String OTHER_TENANT_KEY = "ak_app2_other-secret-0123456789abcdef";
    static final String OTHER_TENANT_AUDITOR_KEY = "ak_audit2_other-audit-secret-0123456789abcdef";
    static final Path LOAN_MODEL = Path.of("../examples/loan-risk/model/loan-risk.onnx")
            .toAbsolutePath()
            .normalize();
    static final ObjectMapper JSON = new ObjectMapper();

    final FakeOpenAi upstream;
    final Airlock airlock;
    final String storeUrl;
    private final String storeUser;
    private final String storePassword;
    private final AirlockConfig config;

    private TestNode(
            FakeOpenAi upstream,
            Airlock airlock,
            AirlockConfig config,
            String storeUrl,
            String storeUser,
            String storePassword) {
        this.upstream = upstream;
        this.airlock = airlock;
        this.config = config;
        this.storeUrl = storeUrl;
        this.storeUser = storeUser;
        this.storePassword = storePassword;
    }

    /**
     * A node on a scratch SQLite store in {@code dir} whose one provider, {@code up}, is {@code upstream} (OpenAI's
     * protocol, 2 s timeout); {@code sections} is the rest of its YAML: policies, prompts, models, keys.
     */
    static Airlock startAgainst(Path dir, FakeOpenAi upstream, String sections) {
        String yaml = """
                server: {port: 0}
                store: {url: "jdbc:sqlite:%s"}
                providers:
                  up: {kind: openai, base_url: "%s", timeout: 2s}
                """.formatted(dir.resolve("airlock.db"), upstream.baseUrl()) + sections;
        return Airlock.start(new ConfigLoader(name -> null).parse(dir.resolve("airlock.yaml"), yaml));
    }

    static TestNode start(Path dir) {
        return start(dir, "jdbc:sqlite:" + dir.resolve("airlock.db"), null, null);
    }

    static TestNode start(Path dir, String storeUrl, String storeUser, String storePassword) {
        FakeOpenAi upstream = FakeOpenAi.start();
        String yaml = """
                server: {host: 127.0.0.1, port: 0, max_body_bytes: 65536}
                bootstrap: {admin_tenant: acme}
                store: {url: "%s", user: "%s", password: "%s"}
                providers:
                  upstream:
                    kind: openai
                    base_url: "%s"
                    api_key: "sk-upstream-secret"
                    timeout: 2s
                    breaker: {window: 100, min_calls: 100}
                  minilm: {kind: minilm-embeddings}
                  loan: {kind: onnx-tabular, path: "%s"}
                models:
                  assistant: {kind: chat, provider: upstream, upstream_model: gpt-upstream, version: "7", owner: risk-team}
                  kept-assistant:
                    kind: chat
                    provider: upstream
                    upstream_model: gpt-upstream
                    retention: {content: full, keep_for: 1h}
                  remote-embed: {kind: embedding, provider: upstream, upstream_model: text-embedding-fake}
                  embed: {kind: embedding, provider: minilm}
                  loan-risk: {kind: predict, provider: loan}
                keys:
                  - {id: app1, tenant: acme, role: app, secret: "app-secret-0123456789abcdef"}
                  - {id: audit1, tenant: acme, role: auditor, secret: "audit-secret-0123456789abcdef"}
                  - {id: app2, tenant: globex, role: app, secret: "other-secret-0123456789abcdef"}
                  - {id: audit2, tenant: globex, role: auditor, secret: "other-audit-secret-0123456789abcdef"}
                  - {id: oper1, tenant: acme, role: operator, secret: "oper-secret-0123456789abcdef"}
                  - {id: review1, tenant: acme, role: reviewer, secret: "review-secret-0123456789abcdef"}
                  - {id: admin1, tenant: acme, role: admin, secret: "admin-secret-0123456789abcdef"}
                audit: {checkpoint_interval: 100ms}
                """.formatted(
                        storeUrl,
                        storeUser == null ? "" : storeUser,
                        storePassword == null ? "" : storePassword,
                        upstream.baseUrl(),
                        LOAN_MODEL);
        var config = new ConfigLoader(name -> null).parse(dir.resolve("airlock.yaml"), yaml);
        try {
            return new TestNode(upstream, Airlock.start(config), config, storeUrl, storeUser, storePassword);
        } catch (RuntimeException e) {
            upstream.close();
            throw e;
        }
    }

    String url(String path) {
        return airlock.baseUrl() + path;
    }

    HttpResponse<String> post(String path, String key, String body) {
        return send(request(path, key)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    HttpResponse<String> post(String path, String key, Map<String, ?> body) {
        try {
            return post(path, key, JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    HttpResponse<String> get(String path, String key) {
        return send(request(path, key).GET().build());
    }

    HttpResponse<String> send(HttpRequest request) {
        return TestHttp.send(request);
    }

    HttpRequest.Builder request(String path, String key) {
        return TestHttp.request(airlock.baseUrl(), path, key);
    }

    static JsonNode json(HttpResponse<String> response) {
        return parse(response.body());
    }

    /**
     * The error a response carries, whichever shape its route answers in (docs/api.md, Errors): OpenAI's {@code
     * error} object, or problem details seen the same way ({@code detail} as {@code message}).
     */
    static JsonNode error(HttpResponse<String> response) {
        JsonNode body = json(response);
        if (!response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
            return body.path("error");
        }
        var error = JSON.createObjectNode()
                .put("message", body.path("detail").asText())
                .put("type", body.path("type").asText())
                .put("code", body.path("code").asText());
        error.set("param", body.has("param") ? body.get("param") : JSON.nullNode());
        return error;
    }

    static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /**
     * Opens a second connection to the node's store, to check what it recorded; what it writes is sealed with the
     * node's signing key, as a command run beside the key file does.
     */
    Store openStore() {
        Store store = Store.open(storeUrl, storeUser, storePassword);
        store.auditChain().sealWith(SigningKeyFile.of(config).loadOrCreate(store.auditChain(), Instant.now()));
        return store;
    }

    @Override
    public void close() {
        airlock.close();
        upstream.close();
    }
}
