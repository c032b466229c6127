package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every response carries {@code x-request-id}, the header OpenAI's SDKs read into {@code _request_id}: the Decision's
 * id when the call made one, a fresh id otherwise. With tracing off (the default), no {@code traceparent} is sent and
 * Decisions carry no trace id.
 */
class RequestIdTest {
    private static final String CHAT =
            "{\"model\":\"assistant\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";

    @TempDir
    static Path dir;

    static TestNode node;

    @BeforeAll
    static void start() {
        node = TestNode.start(dir);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void anAnswer_isIdentifiedByItsDecisionsId() {
        HttpResponse<String> response = node.post("/v1/chat/completions", TestNode.APP_KEY, CHAT);
        assertThat(response.statusCode()).isEqualTo(200);
        String decisionId =
                response.headers().firstValue("x-airlock-decision-id").orElseThrow();
        assertThat(response.headers().firstValue("x-request-id")).contains(decisionId);
        assertThat(response.headers().firstValue("traceparent")).isEmpty();
        var decision = TestHttp.decisionOf(node.url(""), response, TestNode.AUDITOR_KEY);
        assertThat(decision.path("trace_id").isNull()).isTrue();
    }

    @Test
    void aStreamedAnswer_isIdentifiedByItsDecisionsId() {
        HttpResponse<String> response = node.post(
                "/v1/chat/completions",
                TestNode.APP_KEY,
                "{\"model\":\"assistant\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-request-id"))
                .isEqualTo(response.headers().firstValue("x-airlock-decision-id"))
                .isPresent();
    }

    @Test
    void aRefusedCall_isIdentifiedByItsRecordedDecision() {
        HttpResponse<String> response = node.post(
                "/v1/chat/completions",
                TestNode.APP_KEY,
                "{\"model\":\"no-such-model\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertThat(response.statusCode()).isEqualTo(404);
        String requestId = response.headers().firstValue("x-request-id").orElseThrow();
        response.headers()
                .firstValue("x-airlock-decision-id")
                .ifPresentOrElse(
                        id -> assertThat(requestId).isEqualTo(id),
                        () -> assertThat(requestId).startsWith("req_"));
    }

    @Test
    void aRefusedKey_getsAFreshId() {
        HttpResponse<String> response = node.post("/v1/chat/completions", "ak_nobody_wrong-secret-0000000000", CHAT);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("x-request-id").orElseThrow()).matches("req_[0-9a-f]{32}");
    }

    @Test
    void anUnknownRoute_getsAFreshId_andTwoResponsesNeverShareOne() {
        HttpResponse<String> first = node.get("/v1/no-such-route", TestNode.APP_KEY);
        HttpResponse<String> second = node.get("/v1/no-such-route", TestNode.APP_KEY);
        assertThat(first.statusCode()).isEqualTo(404);
        String id = first.headers().firstValue("x-request-id").orElseThrow();
        assertThat(id).matches("req_[0-9a-f]{32}");
        assertThat(second.headers().firstValue("x-request-id")).isPresent().isNotEqualTo(Optional.of(id));
    }
}
