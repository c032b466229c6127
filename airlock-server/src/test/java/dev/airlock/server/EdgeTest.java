package dev.airlock.server;

import static dev.airlock.server.TestNode.APP_KEY;
import static dev.airlock.server.TestNode.AUDITOR_KEY;
import static dev.airlock.server.TestNode.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the HTTP edge guarantees whatever arrives: bodies read up to {@code server.max_body_bytes} however they are
 * framed, strict JSON, no text a store cannot hold, strict query and field values, and every error — from Jetty,
 * Javalin or Airlock — in Airlock's formats.
 */
class EdgeTest extends NodeTest {
    private static final String ADMIN_KEY = "ak_admin1_admin-secret-0123456789abcdef";
    private static final String OPERATOR_KEY = "ak_oper1_oper-secret-0123456789abcdef";
    private static final String REVIEWER_KEY = "ak_review1_review-secret-0123456789abcdef";
    private static final Duration QUICKLY = Duration.ofSeconds(30);
    private static final String HELLO =
            "{\"model\":\"assistant\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    /** An OpenAI error body: JSON with {@code error.message}, {@code error.type} and {@code error.code}. */
    static JsonNode openAiError(RawHttp.Response response) {
        assertThat(response.header("content-type")).startsWith("application/json");
        JsonNode error = response.json().path("error");
        assertThat(error.path("message").asText()).isNotBlank().doesNotContain("Exception");
        assertThat(error.path("type").asText()).isNotBlank();
        assertThat(error.path("code").asText()).isNotBlank();
        return error;
    }

    /** The error in the shape its route answers in (docs/api.md, Errors), seen as OpenAI's error object. */
    static JsonNode anyError(RawHttp.Response response) {
        if (!response.header("content-type").startsWith("application/problem+json")) {
            return openAiError(response);
        }
        JsonNode problem = problem(response);
        return TestNode.JSON
                .createObjectNode()
                .put("message", problem.path("detail").asText())
                .put("code", problem.path("code").asText());
    }

    static JsonNode problem(RawHttp.Response response) {
        assertThat(response.header("content-type")).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.path("status").asInt()).isEqualTo(response.status());
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(problem.path("detail").asText()).isNotBlank().doesNotContain("Exception");
        return problem;
    }

    private static String head(String method, String target, String key, String... headers) {
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n");
        if (key != null) {
            head.append("Authorization: Bearer ").append(key).append("\r\n");
        }
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        return head.toString();
    }

    private static RawHttp.Response raw(String head) {
        return RawHttp.send(node.airlock.baseUrl(), head, QUICKLY);
    }

    private static void assertAlive() {
        assertThat(node.get("/healthz", null).statusCode()).isEqualTo(200);
    }

    // --- bodies are read up to the limit, however they are framed

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "POST, /v1/documents, APP",
        "POST, /v1/chat/completions, APP",
        "POST, /v1/retrieve, APP",
        "PUT, /v1/sources/wiki, OPERATOR",
        "POST, /v1/deployments/assistant/promote, OPERATOR",
        "POST, /v1/readiness/assistant/waivers, ADMIN",
        "POST, /v1/reviews/rev_nothing/approve, REVIEWER",
    })
    void aChunkedBodyLargerThanTheHeap_is413_beforeTheRestIsRead(String method, String path, String role) {
        long total = Runtime.getRuntime().maxMemory() + (256L << 20);
        AtomicLong sent = new AtomicLong();

        RawHttp.Response response = RawHttp.exchange(
                node.airlock.baseUrl(),
                head(method, path, keyOf(role), "Content-Type: application/json", "Transfer-Encoding: chunked"),
                RawHttp.chunked(total, 64 * 1024, sent),
                QUICKLY);

        assertThat(response.status()).isEqualTo(413);
        assertThat(anyError(response).path("code").asText()).isEqualTo("request_too_large");
        assertThat(sent.get())
                .as("the server stopped reading long before the end")
                .isLessThan(total / 4);
        assertAlive();
    }

    @Test
    void aDeclaredLengthOverTheLimit_is413_withoutSendingTheBody() {
        RawHttp.Response response = raw(
                head("POST", "/v1/documents", APP_KEY, "Content-Type: application/json", "Content-Length: 1000000000"));

        assertThat(response.status()).isEqualTo(413);
        assertThat(anyError(response).path("message").asText())
                .contains("1000000000")
                .contains("max_body_bytes");
        assertAlive();
    }

    @Test
    void aBodyOverTheLimitAnnouncedWithExpect100Continue_is413_beforeTheClientIsAskedToSendIt() {
        RawHttp.Response response = raw(head(
                "POST",
                "/v1/chat/completions",
                APP_KEY,
                "Content-Type: application/json",
                "Content-Length: 1000000",
                "Expect: 100-continue"));

        assertThat(response.status())
                .as("the client waits for 100 Continue or a final answer; 100 would make it upload the whole body")
                .isEqualTo(413);
        assertThat(anyError(response).path("code").asText()).isEqualTo("request_too_large");
        assertAlive();
    }

    @Test
    void aBodyThatEndsBeforeItsDeclaredLength_is400_sayingSo() {
        String head =
                head("POST", "/v1/chat/completions", APP_KEY, "Content-Type: application/json", "Content-Length: 500");
        RawHttp.Response response = RawHttp.exchange(
                node.airlock.baseUrl(), head, out -> out.write("{\"model\":".getBytes()), QUICKLY, true);

        assertThat(response.status()).isEqualTo(400);
        assertThat(anyError(response).path("message").asText())
                .contains("ended before")
                .doesNotContain("java.")
                .doesNotContain("org.eclipse");
    }

    @Test
    void aBodySentSlowerThanTheMinimumRate_is408_andFreesTheConnection() {
        String head =
                head("POST", "/v1/chat/completions", APP_KEY, "Content-Type: application/json", "Content-Length: 200");
        RawHttp.Response response = RawHttp.exchange(
                node.airlock.baseUrl(),
                head,
                out -> {
                    // a client that trickles its body a byte at a time, as a connection-holding attack does
                    for (int i = 0; i < 200; i++) {
                        out.write('{');
                        out.flush();
                        try {
                            TimeUnit.MILLISECONDS.sleep(250);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                },
                Duration.ofSeconds(30));

        assertThat(response.status()).isEqualTo(408);
        assertThat(anyError(response).path("message").asText()).doesNotContain("org.eclipse");
    }

    // --- strict JSON

    @Test
    void trailingBytesAfterTheJson_are400() {
        HttpResponse<String> chat = node.post("/v1/chat/completions", APP_KEY, HELLO + "xyz");
        HttpResponse<String> admin = node.send(node.request("/v1/sources/wiki", OPERATOR_KEY)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"trust\":\"trusted\"} {}"))
                .build());

        assertThat(chat.statusCode()).isEqualTo(400);
        assertThat(json(chat).path("error").path("message").asText()).contains("after the JSON");
        assertThat(admin.statusCode()).isEqualTo(400);
        assertThat(TestNode.error(admin).path("message").asText()).contains("after the JSON");
        assertThat(node.upstream.received()).isEmpty();
    }

    // --- text a store cannot hold

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"model\":\"assistant\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\\u0000there\"}]}|messages[0].content",
                "{\"model\":\"assistant\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"metadata\":{\"a\\u0000b\":1}}|metadata.a\\u0000b",
                "{\"model\":\"assist\\u0000ant\",\"messages\":[]}|model",
            })
    void aNulCharacterInTheBody_is400_namingItsJsonPath(String body, String param) {
        HttpResponse<String> response = node.post("/v1/chat/completions", APP_KEY, body);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = TestNode.error(response);
        assertThat(error.path("code").asText()).isEqualTo("unstorable_text");
        assertThat(error.path("param").asText()).isEqualTo(param);
        assertThat(node.upstream.received()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "an overlong NUL (C0 80), C0 80",
        "an overlong three-byte NUL (E0 80 80), E0 80 80",
        "an overlong four-byte NUL (F0 80 80 80), F0 80 80 80",
        "a code point beyond U+10FFFF (F4 90 80 80), F4 90 80 80",
        "a lone continuation byte (80), 80",
    })
    void invalidUtf8InAJsonString_is400_andNeverReachesTheUpstream(String what, String hex) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("{\"model\":\"assistant\",\"messages\":[{\"role\":\"user\",\"content\":\"hi".getBytes());
        for (String b : hex.split(" ")) {
            body.write(Integer.parseInt(b, 16));
        }
        body.writeBytes("there\"}]}".getBytes());
        byte[] bytes = body.toByteArray();
        String head = head(
                "POST",
                "/v1/chat/completions",
                APP_KEY,
                "Content-Type: application/json",
                "Content-Length: " + bytes.length);

        RawHttp.Response response = RawHttp.exchange(node.airlock.baseUrl(), head, out -> out.write(bytes), QUICKLY);

        assertThat(response.status()).as(what + ": " + response.body()).isEqualTo(400);
        assertThat(anyError(response).path("message").asText()).contains("UTF-8");
        assertThat(node.upstream.received()).isEmpty();
        assertAlive();
    }

    @Test
    void aDuplicateKeyInTheBody_is400_namingTheKey() {
        HttpResponse<String> response = node.post(
                "/v1/chat/completions",
                APP_KEY,
                "{\"model\":\"assistant\",\"model\":\"kept-assistant\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(TestNode.error(response).path("message").asText())
                .contains("'model'")
                .contains("more than once");
        assertThat(node.upstream.received()).isEmpty();
    }

    @Test
    void aNulCharacterInAnAdminBody_is400_namingTheField() {
        HttpResponse<String> response =
                node.post("/v1/documents", APP_KEY, "{\"source\":\"wiki\",\"text\":\"a\\u0000b\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(TestNode.error(response).path("param").asText()).isEqualTo("text");
    }

    @Test
    void aNulCharacterInAQueryValue_is400_namingTheParameter() {
        HttpResponse<String> response = node.get("/v1/decisions?model=loan%00risk", AUDITOR_KEY);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(TestNode.error(response).path("param").asText()).isEqualTo("model");
    }

    @Test
    void aNulCharacterInAHeader_is400_inOpenAiShape() {
        RawHttp.Response response = raw(head("GET", "/v1/models", APP_KEY, "Airlock-Subject: cust\0omer"));

        assertThat(response.status()).isEqualTo(400);
        openAiError(response);
        assertAlive();
    }

    // --- errors from Jetty and Javalin in Airlock's formats

    @ParameterizedTest
    @ValueSource(strings = {"/v1/models/a%00b", "/v1/../etc/passwd", "/v1/models/%2e%2e/%2e%2e/x"})
    void aBadPathUnderV1_is4xx_inTheShapeOfItsRoute(String target) {
        RawHttp.Response response = raw(head("GET", target, APP_KEY));

        assertThat(response.status()).isBetween(400, 499);
        if (target.startsWith("/v1/models/a")) {
            openAiError(response); // an AI route's path
        } else {
            problem(response); // not a route of the OpenAI-compatible API once normalised
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/healthz%00", "/../etc/passwd", "/openapi.json/%2e%2e/%2e%2e/x"})
    void aBadPathElsewhere_is4xx_asProblemJson(String target) {
        RawHttp.Response response = raw(head("GET", target, null));

        assertThat(response.status()).isBetween(400, 499);
        problem(response);
    }

    @Test
    void headersOverTheLimit_are431_inOpenAiShape() {
        RawHttp.Response response = raw(head("GET", "/v1/models", APP_KEY, "X-Padding: " + "p".repeat(16 * 1024)));

        assertThat(response.status()).isEqualTo(431);
        assertThat(openAiError(response).path("code").asText()).isEqualTo("headers_too_large");
        assertAlive();
    }

    @Test
    void aMalformedRequestLine_isAnErrorInProblemJson() {
        RawHttp.Response response = raw("GARBAGE\r\n");

        assertThat(response.status()).isEqualTo(400);
        problem(response);
    }

    @Test
    void aQueryNumberThatIsNotOne_is400_namingIt_inOurShape() {
        HttpResponse<String> reviews = node.get("/v1/reviews?limit=abc", REVIEWER_KEY);
        HttpResponse<String> decisions = node.get("/v1/decisions?limit=2.5", AUDITOR_KEY);

        for (HttpResponse<String> response : List.of(reviews, decisions)) {
            assertThat(response.statusCode()).isEqualTo(400);
            JsonNode error = TestNode.error(response);
            assertThat(error.path("param").asText()).isEqualTo("limit");
            assertThat(error.path("message").asText()).contains("limit").contains("1 to 1000");
        }
    }

    // --- strict values

    @Test
    void readinessOfAVersionThatDoesNotExist_is404_namingTheVersions() {
        HttpResponse<String> response = node.get("/v1/readiness/assistant?version=zz", AUDITOR_KEY);

        assertThat(response.statusCode()).isEqualTo(404);
        JsonNode error = TestNode.error(response);
        assertThat(error.path("param").asText()).isEqualTo("version");
        assertThat(error.path("message").asText()).contains("'zz'").contains("7");
        assertThat(node.get("/v1/readiness/assistant?version=7", AUDITOR_KEY).statusCode())
                .isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"many\"", "3.9", "true", "0", "51", "1e2", "99999999999"})
    void retrieveWithAnInvalidK_is400_namingK(String k) {
        HttpResponse<String> response = node.post("/v1/retrieve", APP_KEY, "{\"query\":\"loans\",\"k\":" + k + "}");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = TestNode.error(response);
        assertThat(error.path("param").asText()).isEqualTo("k");
        assertThat(error.path("message").asText()).contains("whole number").contains("1 to 50");
    }

    // --- decision ids name recorded Decisions only

    @Test
    void a401CarriesNoDecisionId() {
        HttpResponse<String> noKey = node.post("/v1/chat/completions", null, HELLO);
        HttpResponse<String> badKey = node.post("/v1/chat/completions", "ak_app1_wrong-secret-000000000000", HELLO);
        HttpResponse<String> predict = node.post("/v1/models/loan-risk/predict", "nonsense", "{\"features\":{}}");

        for (HttpResponse<String> response : List.of(noKey, badKey, predict)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("x-airlock-decision-id")).isEmpty();
        }
        HttpResponse<String> answered = node.post("/v1/chat/completions", APP_KEY, HELLO);
        String id = answered.headers().firstValue("x-airlock-decision-id").orElseThrow();
        assertThat(node.get("/v1/decisions/" + id, AUDITOR_KEY).statusCode()).isEqualTo(200);
    }

    private static String keyOf(String role) {
        return switch (role) {
            case "APP" -> APP_KEY;
            case "OPERATOR" -> OPERATOR_KEY;
            case "ADMIN" -> ADMIN_KEY;
            case "REVIEWER" -> REVIEWER_KEY;
            default -> throw new IllegalArgumentException(role);
        };
    }
}
