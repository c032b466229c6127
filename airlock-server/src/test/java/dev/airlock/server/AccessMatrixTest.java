package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every endpoint with every role, and with a key of another tenant: who may do what. A cell is the status the
 * caller gets; 2xx means allowed.
 */
class AccessMatrixTest extends NodeTest {
    private static final Map<String, String> KEYS = Map.of(
            "app", TestNode.APP_KEY,
            "operator", "ak_oper1_oper-secret-0123456789abcdef",
            "reviewer", "ak_review1_review-secret-0123456789abcdef",
            "auditor", TestNode.AUDITOR_KEY,
            "admin", "ak_admin1_admin-secret-0123456789abcdef",
            "other-tenant auditor", TestNode.OTHER_TENANT_AUDITOR_KEY,
            "none", "");

    private static final String CHAT =
            "{\"model\":\"assistant\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String EMBED = "{\"model\":\"embed\",\"input\":\"hi\"}";
    private static final String PREDICT = "{\"features\":{\"annual_income\":52000,\"loan_amount\":9000}}";

    /** endpoint, then the expected status for: app, operator, reviewer, auditor, admin, other-tenant auditor, none. */
    static Stream<Arguments> matrix() {
        return Stream.of(
                Arguments.of("POST /v1/chat/completions", List.of(200, 403, 403, 403, 200, 403, 401)),
                Arguments.of("POST /v1/embeddings", List.of(200, 403, 403, 403, 200, 403, 401)),
                Arguments.of("POST /v1/models/loan-risk/predict", List.of(200, 403, 403, 403, 200, 403, 401)),
                Arguments.of("GET /v1/models", List.of(200, 200, 200, 200, 200, 200, 401)),
                Arguments.of("GET /v1/decisions/{acme}", List.of(403, 200, 403, 200, 200, 404, 401)),
                Arguments.of("GET /v1/decisions", List.of(403, 200, 403, 200, 200, 200, 401)),
                Arguments.of("GET /v1/decisions?format=jsonl", List.of(403, 200, 403, 200, 200, 200, 401)),
                Arguments.of("GET /v1/audit/events", List.of(403, 200, 403, 200, 200, 200, 401)),
                // 400: allowed through, then told there is no checkpoint of 0 records
                Arguments.of("GET /v1/audit/consistency?from=0", List.of(403, 400, 403, 400, 400, 400, 401)),
                Arguments.of("GET /v1/spend", List.of(403, 200, 403, 200, 200, 200, 401)),
                Arguments.of("GET /v1/budgets", List.of(403, 200, 403, 200, 200, 200, 401)),
                Arguments.of("GET /v1/deployments", List.of(403, 200, 403, 200, 200, 200, 401)),
                Arguments.of("GET /v1/deployments/assistant", List.of(403, 200, 403, 200, 200, 200, 401)),
                Arguments.of("GET /v1/readiness/assistant", List.of(403, 200, 403, 200, 200, 200, 401)),
                Arguments.of("GET /v1/prompts", List.of(403, 200, 403, 200, 200, 200, 401)),
                Arguments.of("GET /v1/reviews", List.of(403, 200, 200, 200, 200, 200, 401)),
                Arguments.of("GET /v1/sources", List.of(403, 200, 403, 200, 200, 200, 401)),
                Arguments.of(
                        "PUT /v1/deployments/assistant/aliases/staging", List.of(403, 200, 403, 403, 200, 403, 401)),
                Arguments.of("POST /v1/readiness/assistant/waivers", List.of(403, 403, 403, 403, 200, 403, 401)),
                Arguments.of("GET /metrics", List.of(200, 200, 200, 200, 200, 200, 200)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matrix")
    void eachRoleGetsWhatItMay(String endpoint, List<Integer> expected) {
        List<String> callers =
                List.of("app", "operator", "reviewer", "auditor", "admin", "other-tenant auditor", "none");
        String decisionOfAcme = decisionOfAcme();
        for (int i = 0; i < callers.size(); i++) {
            String caller = callers.get(i);
            int status = call(endpoint.replace("{acme}", decisionOfAcme), KEYS.get(caller))
                    .statusCode();
            assertThat(status).as(endpoint + " as " + caller).isEqualTo(expected.get(i));
        }
    }

    @Test
    void anotherTenantsAuditor_seesNoneOfThisTenantsDecisionsOrEvents() {
        decisionOfAcme();
        node.post("/v1/chat/completions", TestNode.OTHER_TENANT_KEY, CHAT);

        var decisions = TestNode.json(node.get("/v1/decisions", TestNode.OTHER_TENANT_AUDITOR_KEY))
                .path("data");
        var events = TestNode.json(node.get("/v1/audit/events", TestNode.OTHER_TENANT_AUDITOR_KEY))
                .path("data");
        String export = node.get("/v1/decisions?format=jsonl", TestNode.OTHER_TENANT_AUDITOR_KEY)
                .body();

        assertThat(decisions).isNotEmpty();
        decisions.forEach(
                d -> assertThat(d.path("principal").path("tenant").asText()).isEqualTo("globex"));
        assertThat(export.lines()).isNotEmpty().allMatch(line -> line.contains("\"tenant\":\"globex\""));
        assertThat(events).isNotEmpty();
        events.forEach(e -> assertThat(
                        e.path("tenant").isNull() || e.path("tenant").asText().equals("globex"))
                .as(e.toString())
                .isTrue());
        var acmeEvents = TestNode.json(node.get("/v1/audit/events", TestNode.AUDITOR_KEY))
                .path("data");
        assertThat(acmeEvents.findValuesAsText("target")).contains("app1").doesNotContain("app2");
    }

    private static String decisionOfAcme() {
        return node.post("/v1/chat/completions", TestNode.APP_KEY, CHAT)
                .headers()
                .firstValue("x-airlock-decision-id")
                .orElseThrow();
    }

    private static HttpResponse<String> call(String endpoint, String key) {
        String[] parts = endpoint.split(" ", 2);
        String path = parts[1];
        String credentials = key.isEmpty() ? null : key;
        if (parts[0].equals("GET")) {
            return node.get(path, credentials);
        }
        if (parts[0].equals("PUT")) {
            return node.send(node.request(path, credentials)
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"version\":\"7\"}"))
                    .build());
        }
        String body = path.endsWith("completions")
                ? CHAT
                : path.endsWith("embeddings")
                        ? EMBED
                        : path.endsWith("waivers")
                                ? "{\"check\":\"runbook\",\"justification\":\"the runbook is being written\"}"
                                : PREDICT;
        return node.post(path, credentials, body);
    }
}
