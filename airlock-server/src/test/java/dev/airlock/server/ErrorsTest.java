package dev.airlock.server;

import static dev.airlock.server.TestNode.APP_KEY;
import static dev.airlock.server.TestNode.AUDITOR_KEY;
import static dev.airlock.server.TestNode.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.decision.Outcome;
import dev.airlock.store.Store;
import dev.airlock.testkit.FakeOpenAi.Behaviour;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every bad request gets a clear error in the right shape: never a stack trace, never a 500. */
class ErrorsTest extends NodeTest {
    private static final String CHAT = "/v1/chat/completions";
    private static final String HELLO =
            "{\"model\":\"assistant\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private static JsonNode error(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("application/json");
        JsonNode error = json(response).path("error");
        assertThat(error.path("message").asText())
                .isNotBlank()
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
        return error;
    }

    @Test
    void noKey_is401_inOpenAiShape() {
        HttpResponse<String> response = node.post(CHAT, null, HELLO);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(error(response).path("code").asText()).isEqualTo("missing_api_key");
        assertThat(response.headers().firstValue("www-authenticate")).isPresent();
    }

    @Test
    void wrongSecret_is401() {
        HttpResponse<String> response = node.post(CHAT, "ak_app1_not-the-right-secret-at-all", HELLO);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(error(response).path("code").asText()).isEqualTo("invalid_api_key");
    }

    @Test
    void badKey_comesBeforeABadBody() {
        HttpResponse<String> response = node.post(CHAT, "nonsense", "{not json");

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void aRoleThatMayNotCallModels_is403() {
        HttpResponse<String> response = node.post(CHAT, AUDITOR_KEY, HELLO);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(error(response).path("code").asText()).isEqualTo("permission_denied");
    }

    @Test
    void unknownModel_is404_modelNotFound() {
        HttpResponse<String> response =
                node.post(CHAT, APP_KEY, "{\"model\":\"gpt-9\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");

        assertThat(response.statusCode()).isEqualTo(404);
        JsonNode error = error(response);
        assertThat(error.path("code").asText()).isEqualTo("model_not_found");
        assertThat(error.path("param").asText()).isEqualTo("model");
    }

    @Test
    void aModelOfAnotherKind_is400() {
        HttpResponse<String> response =
                node.post(CHAT, APP_KEY, "{\"model\":\"embed\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response).path("code").asText()).isEqualTo("model_kind_mismatch");
    }

    @ParameterizedTest(name = "{0} -> param {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{not json|",
                "[1,2]|",
                "{}|model",
                "{\"model\":7,\"messages\":[]}|model",
                "{\"model\":\"assistant\"}|messages",
                "{\"model\":\"assistant\",\"messages\":[]}|messages",
                "{\"model\":\"assistant\",\"messages\":[\"hi\"]}|messages[0]",
                "{\"model\":\"assistant\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"wizard\",\"content\":\"b\"}]}|messages[1].role",
                "{\"model\":\"assistant\",\"messages\":[{\"role\":\"user\",\"content\":5}]}|messages[0].content",
                "{\"model\":\"assistant\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"}],\"stream\":\"yes\"}|stream",
                "{\"model\":\"assistant\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"}],\"stream_options\":{\"include_usage\":1}}|stream_options.include_usage",
            })
    void invalidChatBodies_are400_namingTheJsonPath(String body, String param) {
        HttpResponse<String> response = node.post(CHAT, APP_KEY, body);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = error(response);
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        if (param == null) {
            assertThat(error.path("param").isNull()).isTrue();
        } else {
            assertThat(error.path("param").asText()).isEqualTo(param);
        }
    }

    @Test
    void aBodyOverTheLimit_is413() {
        String big = "{\"model\":\"assistant\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(70_000)
                + "\"}]}";

        HttpResponse<String> response = node.post(CHAT, APP_KEY, big);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(error(response).path("code").asText()).isEqualTo("request_too_large");
    }

    @Test
    void upstreamServerError_is502_andRecordedAsFailed() {
        node.upstream.always(Behaviour.error(500, "boom"));

        HttpResponse<String> response = node.post(CHAT, APP_KEY, HELLO);

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(error(response).path("message").asText()).contains("upstream 'upstream' answered 500: boom");
        String id = response.headers().firstValue("x-airlock-decision-id").orElseThrow();
        try (Store store = node.openStore()) {
            var outcome = store.decisionLog().findDecision(id).orElseThrow().outcome();
            assertThat(outcome).isInstanceOf(Outcome.Failed.class);
            assertThat(((Outcome.Failed) outcome).stop().code()).isEqualTo("upstream_error");
        }
    }

    @Test
    void upstreamTimeout_is504() {
        node.upstream.always(Behaviour.delayed(3_000));

        HttpResponse<String> response = node.post(CHAT, APP_KEY, HELLO);

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(error(response).path("code").asText()).isEqualTo("upstream_timeout");
    }

    @Test
    void upstreamMalformedJson_is502() {
        node.upstream.always(Behaviour.malformedJson());

        HttpResponse<String> response = node.post(CHAT, APP_KEY, HELLO);

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(error(response).path("code").asText()).isEqualTo("upstream_malformed_response");
    }

    @Test
    void upstreamRejectingTheRequest_is400_withItsMessage() {
        node.upstream.nextResponses(Behaviour.error(400, "max_tokens is too large"));

        HttpResponse<String> response = node.post(CHAT, APP_KEY, HELLO);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response).path("message").asText()).contains("max_tokens is too large");
    }

    @Test
    void anUnreachableUpstream_is502() {
        node.upstream.close();
        try {
            HttpResponse<String> response = node.post(CHAT, APP_KEY, HELLO);

            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(error(response).path("code").asText()).isEqualTo("upstream_unreachable");
        } finally {
            // the upstream cannot be restarted on its port; later tests in this class must not need it
            restartNode();
        }
    }

    private static void restartNode() {
        node.close();
        node = TestNode.start(dir.resolve("again-" + System.nanoTime()));
    }

    @Test
    void unknownRoutesOutsideV1_getProblemJson() {
        HttpResponse<String> response = node.get("/admin/nothing-here", APP_KEY);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("application/problem+json");
        JsonNode problem = json(response);
        assertThat(problem.path("status").asInt()).isEqualTo(404);
        assertThat(problem.path("title").asText()).isEqualTo("Not Found");
        assertThat(problem.path("detail").asText()).contains("/admin/nothing-here");
    }

    @Test
    void theWrongMethod_is405() {
        HttpResponse<String> response =
                node.send(node.request(CHAT, APP_KEY).GET().build());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(error(response).path("code").asText()).isEqualTo("method_not_allowed");
    }

    @Test
    void invalidPredictFeatures_are400_namingTheFeature() {
        HttpResponse<String> response =
                node.post("/v1/models/loan-risk/predict", APP_KEY, "{\"features\":{\"annual_income\":\"lots\"}}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response).path("param").asText()).isEqualTo("features.annual_income");
    }

    @Test
    void anEmptyBody_is400() {
        HttpResponse<String> response = node.send(node.request(CHAT, APP_KEY)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response).path("message").asText()).contains("empty");
    }
}
