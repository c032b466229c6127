package dev.airlock.server;

import static dev.airlock.server.TestNode.APP_KEY;
import static dev.airlock.server.TestNode.AUDITOR_KEY;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One rule for the shape of errors (docs/api.md, Errors): RFC 9457 problem details on every management and admin
 * route, naming in {@code param} the field at fault; OpenAI's error object on the OpenAI-compatible AI routes only.
 * Walks a set of bad requests over the routes and checks each answer's shape.
 */
class ErrorShapeTest {
    private static final String ADMIN = "ak_admin1_admin-secret-0123456789abcdef";
    private static final String OPERATOR = "ak_oper1_oper-secret-0123456789abcdef";

    /** A bad request, the status it gets and the field it names (null: no single field is at fault). */
    record Bad(
            String method,
            String path,
            String key,
            @Nullable String body,
            int status,
            @Nullable String param) {}

    private static final List<Bad> MANAGEMENT = List.of(
            new Bad("GET", "/v1/decisions?from=yesterday", AUDITOR_KEY, null, 400, "from"),
            new Bad("GET", "/v1/decisions?outcome=maybe", AUDITOR_KEY, null, 400, "outcome"),
            new Bad("GET", "/v1/decisions/nope", AUDITOR_KEY, null, 404, "id"),
            new Bad("GET", "/v1/spend?period=week", AUDITOR_KEY, null, 400, "period"),
            new Bad("GET", "/v1/deployments/nope", AUDITOR_KEY, null, 404, "model"),
            new Bad("POST", "/v1/deployments/assistant/promote", ADMIN, "{}", 400, "version"),
            new Bad("POST", "/v1/deployments/assistant/promote", ADMIN, "{\"version\": 7}", 400, "version"),
            new Bad("POST", "/v1/deployments/assistant/promote", ADMIN, "{not json", 400, null),
            new Bad("GET", "/v1/prompts/nope", AUDITOR_KEY, null, 404, "name"),
            new Bad("GET", "/v1/reviews/nope", AUDITOR_KEY, null, 404, "id"),
            new Bad("POST", "/v1/labels?model=nope", APP_KEY, "{\"decision_id\":\"x\",\"label\":\"a\"}", 404, "model"),
            new Bad("POST", "/v1/decisions/nope/label", APP_KEY, "{}", 400, "label"),
            new Bad("GET", "/v1/models/loan-risk/accuracy?window=forever", AUDITOR_KEY, null, 400, "window"),
            new Bad("GET", "/v1/models/loan-risk/accuracy?version=9.9.9", AUDITOR_KEY, null, 404, "version"),
            new Bad("GET", "/v1/incidents?state=sleeping", AUDITOR_KEY, null, 400, "state"),
            new Bad("GET", "/v1/alerts?state=sleeping", AUDITOR_KEY, null, 400, "state"),
            new Bad("GET", "/v1/admin/drift/loan-risk?since=forever", AUDITOR_KEY, null, 400, "since"),
            new Bad("GET", "/v1/admin/drift/loan-risk?format=pdf", AUDITOR_KEY, null, 400, "format"),
            new Bad("GET", "/v1/admin/profiles/nope", AUDITOR_KEY, null, 404, "model"),
            new Bad("POST", "/v1/admin/models/loan-risk/retrain?version=9", OPERATOR, "", 400, "version"),
            new Bad("GET", "/v1/admin/models/nope/retraining", AUDITOR_KEY, null, 404, "model"),
            new Bad("GET", "/v1/deployments", APP_KEY.replace("secret", "wrong"), null, 401, null),
            new Bad("GET", "/v1/no-such-route", AUDITOR_KEY, null, 404, null));

    @TempDir
    Path dir;

    private TestNode node;

    @BeforeEach
    void start() {
        node = TestNode.start(dir);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private HttpResponse<String> send(Bad bad) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.url(bad.path())))
                .header("Authorization", "Bearer " + bad.key())
                .header("Content-Type", "application/json")
                .method(
                        bad.method(),
                        bad.body() == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(bad.body()));
        return node.send(request.build());
    }

    @Test
    void managementAndAdminRoutes_answerProblemDetails_namingTheFieldAtFault() {
        SoftAssertions soft = new SoftAssertions();
        for (Bad bad : MANAGEMENT) {
            HttpResponse<String> response = send(bad);
            String where = bad.method() + " " + bad.path() + " -> " + response.body();
            soft.assertThat(response.statusCode()).as(where).isEqualTo(bad.status());
            soft.assertThat(response.headers().firstValue("Content-Type").orElse(""))
                    .as(where)
                    .startsWith("application/problem+json");
            JsonNode problem = TestNode.parse(response.body());
            soft.assertThat(problem.has("error")).as(where).isFalse();
            soft.assertThat(problem.path("type").asText()).as(where).startsWith("https://airlock.dev/problems/");
            soft.assertThat(problem.path("title").asText()).as(where).isNotBlank();
            soft.assertThat(problem.path("status").asInt()).as(where).isEqualTo(bad.status());
            soft.assertThat(problem.path("detail").asText()).as(where).isNotBlank();
            soft.assertThat(problem.path("code").asText()).as(where).isNotBlank();
            soft.assertThat(problem.path("instance").asText())
                    .as(where)
                    .isEqualTo(bad.path().replaceFirst("\\?.*", ""));
            if (bad.param() != null) {
                soft.assertThat(problem.path("param").asText()).as(where).isEqualTo(bad.param());
            }
        }
        soft.assertAll();
    }

    @Test
    void aLongIdOrName_isEchoedInTheErrorBounded_to80Characters() {
        String id = "x".repeat(3000);
        String bounded = "x".repeat(80) + "…";
        List<Bad> echoing = List.of(
                new Bad("GET", "/v1/decisions/" + id, AUDITOR_KEY, null, 404, "id"),
                new Bad("POST", "/v1/decisions/" + id + "/label", APP_KEY, "{\"label\":\"repay\"}", 404, "id"),
                new Bad("GET", "/v1/incidents/" + id, AUDITOR_KEY, null, 404, "id"),
                new Bad("GET", "/v1/reviews/" + id, AUDITOR_KEY, null, 404, "id"),
                new Bad("GET", "/v1/prompts/" + id, AUDITOR_KEY, null, 404, "name"),
                new Bad("GET", "/v1/deployments/" + id, AUDITOR_KEY, null, 404, "model"),
                new Bad("GET", "/v1/alerts/" + id, AUDITOR_KEY, null, 404, "id"),
                new Bad("GET", "/v1/responses/" + id, APP_KEY, null, 404, null),
                new Bad("GET", "/v1/models/" + id, APP_KEY, null, 404, "model"),
                new Bad(
                        "POST",
                        "/v1/chat/completions",
                        APP_KEY,
                        "{\"model\":\"" + id + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                        404,
                        "model"));
        SoftAssertions soft = new SoftAssertions();
        for (Bad bad : echoing) {
            HttpResponse<String> response = send(bad);
            String where = bad.method() + " " + bad.path().substring(0, 20) + "… -> " + response.statusCode();
            JsonNode body = TestNode.parse(response.body());
            String message = body.has("detail")
                    ? body.path("detail").asText()
                    : body.at("/error/message").asText();
            soft.assertThat(response.statusCode()).as(where).isEqualTo(bad.status());
            soft.assertThat(message).as(where).contains(bounded).doesNotContain("x".repeat(81));
            soft.assertThat(response.body().length()).as(where).isLessThan(1000);
        }
        soft.assertAll();
    }

    @Test
    void theOpenAiCompatibleRoutes_answerOpenAisErrorObject_namingParam() {
        List<Bad> ai = List.of(
                new Bad("POST", "/v1/chat/completions", APP_KEY, "{\"model\":\"assistant\"}", 400, "messages"),
                new Bad("POST", "/v1/completions", APP_KEY, "{\"model\":\"assistant\",\"prompt\":1}", 400, "prompt"),
                new Bad("POST", "/v1/responses", APP_KEY, "{\"model\":\"assistant\"}", 400, "input"),
                new Bad("POST", "/v1/embeddings", APP_KEY, "{\"model\":\"embed\"}", 400, "input"),
                new Bad("GET", "/v1/models/nope", APP_KEY, null, 404, null),
                new Bad("POST", "/v1/models/loan-risk/predict", APP_KEY, "{}", 400, null));
        SoftAssertions soft = new SoftAssertions();
        for (Bad bad : ai) {
            HttpResponse<String> response = send(bad);
            String where = bad.method() + " " + bad.path() + " -> " + response.body();
            soft.assertThat(response.statusCode()).as(where).isEqualTo(bad.status());
            soft.assertThat(response.headers().firstValue("Content-Type").orElse(""))
                    .as(where)
                    .startsWith("application/json");
            JsonNode error = TestNode.parse(response.body()).path("error");
            soft.assertThat(error.path("message").asText()).as(where).isNotBlank();
            soft.assertThat(error.path("type").asText()).as(where).isNotBlank();
            if (bad.param() != null) {
                soft.assertThat(error.path("param").asText()).as(where).isEqualTo(bad.param());
            }
        }
        soft.assertAll();
    }
}
