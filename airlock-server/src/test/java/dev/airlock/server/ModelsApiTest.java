package dev.airlock.server;

import static dev.airlock.server.TestNode.APP_KEY;
import static dev.airlock.server.TestNode.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.testkit.FakeOpenAi;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** Embeddings (in-process and upstream), predictions, the model list and the metrics they leave behind. */
class ModelsApiTest extends NodeTest {
    @Test
    void embedsInProcess_withTheMiniLmModel() {
        HttpResponse<String> response = node.post(
                "/v1/embeddings", APP_KEY, Map.of("model", "embed", "input", List.of("first text", "second text")));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.path("object").asText()).isEqualTo("list");
        assertThat(body.path("data")).hasSize(2);
        assertThat(body.path("data").path(1).path("index").asInt()).isEqualTo(1);
        assertThat(body.path("data").path(0).path("embedding")).hasSize(384);
        assertThat(body.path("usage").path("prompt_tokens").asInt()).isPositive();
    }

    @Test
    void base64Embeddings_decodeToTheSameVectorsAsFloats() {
        JsonNode floats = json(node.post("/v1/embeddings", APP_KEY, Map.of("model", "embed", "input", "loan")));
        JsonNode encoded = json(node.post(
                "/v1/embeddings", APP_KEY, Map.of("model", "embed", "input", "loan", "encoding_format", "base64")));

        byte[] bytes = Base64.getDecoder()
                .decode(encoded.path("data").path(0).path("embedding").asText());
        var decoded = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        JsonNode expected = floats.path("data").path(0).path("embedding");
        assertThat(decoded.remaining()).isEqualTo(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(decoded.get(i)).isEqualTo((float) expected.get(i).asDouble());
        }
    }

    @Test
    void embedsThroughAnUpstream_askingItForFloats() {
        HttpResponse<String> response = node.post(
                "/v1/embeddings", APP_KEY, Map.of("model", "remote-embed", "input", "x", "encoding_format", "base64"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(node.upstream.lastReceived().body().path("model").asText()).isEqualTo("text-embedding-fake");
        assertThat(node.upstream.lastReceived().body().path("encoding_format").asText())
                .isEqualTo("float");
        byte[] bytes = Base64.getDecoder()
                .decode(json(response).path("data").path(0).path("embedding").asText());
        float first = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getFloat(0);
        assertThat(first).isEqualTo(FakeOpenAi.vectorOf("x")[0]);
    }

    @Test
    void predicts_withProbabilitiesContributionsAndReasonCodes() {
        Map<String, Object> risky = Map.of(
                "annual_income", 18000,
                "debt_to_income", 0.62,
                "employment_years", 0,
                "loan_amount", 30000,
                "delinquencies_2y", 4);

        HttpResponse<String> response = node.post("/v1/models/loan-risk/predict", APP_KEY, Map.of("features", risky));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.path("decision_id").asText())
                .isEqualTo(
                        response.headers().firstValue("x-airlock-decision-id").orElseThrow());
        assertThat(body.path("model").asText()).isEqualTo("loan-risk");
        assertThat(body.path("model_version").asText())
                .as("without a version in the config, the model artifact's own version is recorded")
                .isEqualTo("1.0.0");
        double pDefault = body.path("probabilities").path("default").asDouble();
        double pRepay = body.path("probabilities").path("repay").asDouble();
        assertThat(pDefault + pRepay).isCloseTo(1.0, Offset.offset(1e-6));
        assertThat(body.path("prediction").asText()).isEqualTo(pDefault >= 0.5 ? "default" : "repay");
        assertThat(body.path("contributions").size()).isGreaterThan(3);
        assertThat(body.path("reasons").size()).isBetween(1, 4);
        assertThat(body.path("reasons").path(0).asText()).matches("[A-Z0-9_]+");
    }

    @Test
    void listsTheConfiguredModels() {
        JsonNode body = json(node.get("/v1/models", APP_KEY));

        assertThat(body.path("object").asText()).isEqualTo("list");
        assertThat(body.path("data").findValuesAsText("id"))
                .containsExactlyInAnyOrder("assistant", "kept-assistant", "remote-embed", "embed", "loan-risk");
        JsonNode one = json(node.get("/v1/models/assistant", APP_KEY));
        assertThat(one.path("owned_by").asText()).isEqualTo("risk-team");
        assertThat(one.path("version").asText()).isEqualTo("7");
        assertThat(node.get("/v1/models", null).statusCode()).isEqualTo(401);
        assertThat(node.get("/v1/models/nope", APP_KEY).statusCode()).isEqualTo(404);
    }

    @Test
    void metrics_countRequestsLatencyAndTokens_byModelAndStatus() {
        node.post(
                "/v1/chat/completions",
                APP_KEY,
                Map.of("model", "assistant", "messages", List.of(Map.of("role", "user", "content", "metrics please"))));
        node.post(
                "/v1/chat/completions",
                APP_KEY,
                "{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");

        String metrics = node.get("/metrics", null).body();

        assertThat(metrics)
                .contains(
                        "airlock_requests_total{kind=\"chat\",model=\"assistant\",outcome=\"answered\",status=\"200\"}");
        assertThat(metrics)
                .contains(
                        "airlock_requests_total{kind=\"chat\",model=\"unresolved\",outcome=\"refused\",status=\"404\"}");
        assertThat(metrics).contains("airlock_request_duration_seconds_bucket{kind=\"chat\",model=\"assistant\"");
        assertThat(metrics)
                .contains("airlock_upstream_duration_seconds_bucket{model=\"assistant\",provider=\"upstream\"");
        assertThat(metrics).contains("airlock_tokens_total{direction=\"in\",model=\"assistant\"}");
        assertThat(metrics).contains("airlock_tokens_total{direction=\"out\",model=\"assistant\"}");
    }

    @Test
    void healthReadinessAndOpenApi_needNoKey() {
        assertThat(node.get("/healthz", null).statusCode()).isEqualTo(200);
        assertThat(json(node.get("/readyz", null)).path("status").asText()).isEqualTo("ready");
        JsonNode openapi = json(node.get("/openapi.json", null));
        assertThat(openapi.path("openapi").asText()).startsWith("3.1");
        assertThat(openapi.path("paths").has("/v1/chat/completions")).isTrue();
        assertThat(openapi.path("paths").has("/v1/models/{name}/predict")).isTrue();
    }
}
