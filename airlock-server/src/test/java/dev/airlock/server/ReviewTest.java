package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.airlock.server.config.ConfigLoader;
import dev.airlock.store.Store;
import dev.airlock.testkit.FakeOpenAi;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Human review end to end: a policy holds an answer, the caller gets 202 and a review id, a reviewer decides over
 * HTTP (also after a restart), the caller reads the outcome and its callback is called; overdue reviews escalate.
 */
class ReviewTest {
    private static final String APP = TestNode.APP_KEY;
    private static final String REVIEWER = "ak_rev1_review-secret-0123456789abcdef";
    private static final String REVIEWER_2 = "ak_rev2_review2-secret-0123456789abcdef";
    private static final String AUDITOR = TestNode.AUDITOR_KEY;
    private static final String OTHER_REVIEWER = "ak_rev3_other-secret-0123456789abcdef";

    @TempDir
    Path dir;

    FakeOpenAi upstream;
    HttpServer callbacks;
    List<String> called = new CopyOnWriteArrayList<>();
    List<String> signatures = new CopyOnWriteArrayList<>();

    private static String hmac(String body) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec("s3cret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    Airlock node;

    @BeforeEach
    void start() throws Exception {
        upstream = FakeOpenAi.start();
        callbacks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        callbacks.createContext("/done", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            called.add(body);
            signatures.add(exchange.getRequestHeaders().getFirst("Airlock-Signature") + " " + hmac(body));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        callbacks.start();
        node = startNode("4h");
    }

    private Airlock startNode(String sla) {
        return startNode(sla, "0s");
    }

    private Airlock startNode(String sla, String wait) {
        String yaml = """
                server: {port: 0}
                store: {url: "jdbc:sqlite:%s"}
                providers:
                  up: {kind: openai, base_url: "%s", timeout: 2s}
                policies:
                  letters:
                    versions:
                      "1":
                        rules:
                          - name: adverse-letter
                            stage: output
                            when: "output.text.contains('decline')"
                            effect: review
                            reason: ADVERSE_ACTION
                models:
                  letters:
                    kind: chat
                    provider: up
                    policies: [letters]
                    operations: {escalation: [head-of-credit@example.com]}
                review: {sla: %s, check_interval: 100ms, callback_hosts: [127.0.0.1], wait: %s, callback_secret: s3cret}
                keys:
                  - {id: app1, tenant: acme, role: app, secret: "app-secret-0123456789abcdef"}
                  - {id: rev1, tenant: acme, role: reviewer, secret: "review-secret-0123456789abcdef"}
                  - {id: rev2, tenant: acme, role: reviewer, secret: "review2-secret-0123456789abcdef"}
                  - {id: audit1, tenant: acme, role: auditor, secret: "audit-secret-0123456789abcdef"}
                  - {id: rev3, tenant: globex, role: reviewer, secret: "other-secret-0123456789abcdef"}
                """.formatted(dir.resolve("airlock.db"), upstream.baseUrl(), sla, wait);
        return Airlock.start(new ConfigLoader(name -> null).parse(dir.resolve("airlock.yaml"), yaml));
    }

    @AfterEach
    void stop() {
        node.close();
        upstream.close();
        callbacks.stop(0);
    }

    @Test
    void aHeldAnswer_survivesARestart_andIsReleasedWhenAReviewerApprovesIt() {
        HttpResponse<String> held = chat("we must decline the loan", false);

        assertThat(held.statusCode()).as(held.body()).isEqualTo(202);
        JsonNode review = TestNode.json(held);
        String id = review.path("id").asText();
        assertThat(id).startsWith("rv_");
        assertThat(review.path("reasons").toString()).contains("ADVERSE_ACTION");
        assertThat(get("/v1/reviews/" + id + "/result", APP).statusCode()).isEqualTo(202);
        assertThat(get("/v1/reviews?status=pending", REVIEWER).body()).contains(id);

        node.close();
        node = startNode("4h");

        assertThat(post("/v1/reviews/" + id + "/claim", REVIEWER, "{}").statusCode())
                .isEqualTo(200);
        assertThat(post("/v1/reviews/" + id + "/approve", REVIEWER_2, "{}").statusCode())
                .as("claimed by another reviewer")
                .isEqualTo(409);
        HttpResponse<String> approved = post("/v1/reviews/" + id + "/approve", REVIEWER, "{\"comment\":\"checked\"}");
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        assertThat(TestNode.json(approved).path("decided_by").asText()).isEqualTo("key:rev1");

        HttpResponse<String> result = get("/v1/reviews/" + id + "/result", APP);
        assertThat(result.statusCode()).isEqualTo(200);
        assertThat(TestNode.json(result)
                        .path("choices")
                        .path(0)
                        .path("message")
                        .path("content")
                        .asText())
                .isEqualTo("echo: we must decline the loan");
        assertThat(post("/v1/reviews/" + id + "/reject", REVIEWER, "{}").statusCode())
                .isEqualTo(409);
        JsonNode events =
                TestNode.json(get("/v1/audit/events?limit=100", AUDITOR)).path("data");
        assertThat(events.findValuesAsText("action")).contains("review.held", "review.claimed", "review.approved");
    }

    @Test
    void anEditedAnswerReplacesTheHeldOne_aRejectedOneIsRefused_andTheCallbackIsCalled() {
        String callback = "http://127.0.0.1:" + callbacks.getAddress().getPort() + "/done";
        String edited = TestNode.json(chat("we decline, sorry", false, callback))
                .path("id")
                .asText();
        String rejected =
                TestNode.json(chat("decline everything", false)).path("id").asText();
        HttpResponse<String> elsewhere = chat("decline", false, "http://169.254.169.254/latest/meta-data");
        assertThat(elsewhere.statusCode())
                .as("only listed hosts are called back")
                .isEqualTo(400);
        assertThat(elsewhere.body()).contains("review.callback_hosts");

        assertThat(post("/v1/reviews/" + edited + "/edit", REVIEWER, "{\"content\":\"We need more documents.\"}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(post("/v1/reviews/" + rejected + "/reject", REVIEWER, "{\"comment\":\"tone\"}")
                        .statusCode())
                .isEqualTo(200);

        assertThat(TestNode.json(get("/v1/reviews/" + edited + "/result", APP))
                        .path("choices")
                        .path(0)
                        .path("message")
                        .path("content")
                        .asText())
                .isEqualTo("We need more documents.");
        HttpResponse<String> refused = get("/v1/reviews/" + rejected + "/result", APP);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("rejected_in_review").contains("tone");
        await().atMost(Duration.ofSeconds(10)).until(() -> !called.isEmpty());
        assertThat(called.getFirst()).contains(edited).contains("\"status\":\"edited\"");
        String[] signature = signatures.getFirst().split(" ");
        assertThat(signature[0]).as("signed with review.callback_secret").isEqualTo(signature[1]);
    }

    @Test
    void erasingTheDataSubject_endsItsPendingReview_andErasesAnApprovedAnswerNotYetRead() {
        String pending = TestNode.json(chat("we must decline Ms Weber", false, null, "customer-42"))
                .path("id")
                .asText();
        String approved = TestNode.json(chat("we decline Ms Weber", false, null, "customer-42"))
                .path("id")
                .asText();
        String unrelated = TestNode.json(chat("we decline Mr Smith", false, null, "customer-7"))
                .path("id")
                .asText();
        assertThat(TestNode.json(get("/v1/reviews/" + pending, REVIEWER))
                        .path("input")
                        .asText())
                .contains("Ms Weber");
        post("/v1/reviews/" + approved + "/claim", REVIEWER, "{}");
        assertThat(post("/v1/reviews/" + approved + "/approve", REVIEWER, "{}").statusCode())
                .isEqualTo(200);

        try (var store = Store.open("jdbc:sqlite:" + dir.resolve("airlock.db"), null, null)) {
            store.erasure().eraseSubject("acme", "customer-42", "cli:dpo", Instant.now());
        }

        HttpResponse<String> ended = get("/v1/reviews/" + pending + "/result", APP);
        assertThat(ended.statusCode()).isEqualTo(403);
        assertThat(ended.body()).contains("the data subject was erased");
        assertThat(TestNode.json(get("/v1/reviews/" + pending, REVIEWER))
                        .path("input")
                        .isNull())
                .isTrue();
        HttpResponse<String> gone = get("/v1/reviews/" + approved + "/result", APP);
        assertThat(gone.statusCode()).as(gone.body()).isEqualTo(410);
        assertThat(gone.body()).contains("answer_erased");
        assertThat(TestNode.json(get("/v1/reviews/" + unrelated, REVIEWER))
                        .path("input")
                        .asText())
                .as("another subject's review")
                .contains("Mr Smith");
    }

    @Test
    void reviewsAreTheirTenantsOnly_andOnlyReviewersDecide() {
        String id = TestNode.json(chat("decline", false)).path("id").asText();

        assertThat(get("/v1/reviews/" + id, OTHER_REVIEWER).statusCode()).isEqualTo(404);
        assertThat(post("/v1/reviews/" + id + "/approve", OTHER_REVIEWER, "{}").statusCode())
                .isEqualTo(404);
        assertThat(post("/v1/reviews/" + id + "/approve", APP, "{}").statusCode())
                .isEqualTo(403);
        assertThat(post("/v1/reviews/" + id + "/approve", AUDITOR, "{}").statusCode())
                .isEqualTo(403);
        assertThat(TestNode.json(get("/v1/reviews/" + id, AUDITOR))
                        .path("output")
                        .asText())
                .isEqualTo("echo: decline");
        assertThat(post("/v1/reviews/" + id + "/approve", REVIEWER, "{}").statusCode())
                .isEqualTo(200);
        assertThat(TestNode.json(get("/v1/reviews/" + id, AUDITOR))
                        .path("output")
                        .isNull())
                .as("the held content is dropped once decided")
                .isTrue();
    }

    @Test
    void anAnswerLeftPastItsDueTime_isEscalatedToTheModelsEscalationPath() {
        node.close();
        node = startNode("1s");

        String id = TestNode.json(chat("decline", false)).path("id").asText();

        await().atMost(Duration.ofSeconds(15))
                .until(() -> !TestNode.json(get("/v1/reviews/" + id, REVIEWER))
                        .path("escalated_at")
                        .isNull());
        JsonNode events =
                TestNode.json(get("/v1/audit/events?limit=100", AUDITOR)).path("data");
        assertThat(events.toString()).contains("review.escalated").contains("head-of-credit@example.com");
    }

    @Test
    void aDecisionMadeWithinTheWait_isAnsweredOnTheCallItself() throws Exception {
        node.close();
        node = startNode("4h", "20s");

        var call = CompletableFuture.supplyAsync(() -> chat("we decline this one", false));
        String id = await().atMost(Duration.ofSeconds(15))
                .until(
                        () -> TestNode.json(get("/v1/reviews?status=pending", REVIEWER))
                                .path("data")
                                .path(0)
                                .path("id")
                                .asText(""),
                        found -> !found.isEmpty());
        assertThat(post("/v1/reviews/" + id + "/approve", REVIEWER, "{}").statusCode())
                .isEqualTo(200);

        HttpResponse<String> answered = call.get(20, TimeUnit.SECONDS);
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        assertThat(answered.headers().firstValue("x-airlock-review-status")).contains("approved");
        assertThat(answered.body()).contains("echo: we decline this one");
    }

    @Test
    void aStreamedCallThatNeedsReview_isRefused_forItCannotWait() {
        HttpResponse<String> r = chat("decline please", true);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("review_requires_complete_answer");
    }

    private HttpResponse<String> chat(String text, boolean stream) {
        return chat(text, stream, null);
    }

    private HttpResponse<String> chat(String text, boolean stream, String callback) {
        return chat(text, stream, callback, null);
    }

    private HttpResponse<String> chat(String text, boolean stream, String callback, String subject) {
        var request = TestHttp.request(node.baseUrl(), "/v1/chat/completions", APP)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"letters\",\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}"));
        if (callback != null) {
            request.header("Airlock-Review-Callback", callback);
        }
        if (subject != null) {
            request.header("Airlock-Subject", subject);
        }
        return TestHttp.send(request.build());
    }

    private HttpResponse<String> get(String path, String key) {
        return TestHttp.get(node.baseUrl(), path, key);
    }

    private HttpResponse<String> post(String path, String key, String body) {
        return TestHttp.post(node.baseUrl(), path, key, body);
    }
}
