package dev.airlock.server;

import static dev.airlock.server.TestNode.APP_KEY;
import static dev.airlock.server.TestNode.AUDITOR_KEY;
import static dev.airlock.server.TestNode.OTHER_TENANT_AUDITOR_KEY;
import static dev.airlock.server.TestNode.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A Decision id from a response header can be looked up, by the right roles of the same tenant only. */
class DecisionsApiTest extends NodeTest {

    private static String answeredDecisionId() {
        HttpResponse<String> response = node.post(
                "/v1/chat/completions",
                APP_KEY,
                Map.of("model", "assistant", "messages", List.of(Map.of("role", "user", "content", "look me up"))));
        assertThat(response.statusCode()).isEqualTo(200);
        return response.headers().firstValue("x-airlock-decision-id").orElseThrow();
    }

    @Test
    void anAuditorOfTheSameTenant_readsTheDecision() {
        String id = answeredDecisionId();

        HttpResponse<String> response = node.get("/v1/decisions/" + id, AUDITOR_KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode decision = json(response);
        assertThat(decision.path("id").asText()).isEqualTo(id);
        assertThat(decision.path("principal").path("tenant").asText()).isEqualTo("acme");
        assertThat(decision.path("principal").path("key_id").asText()).isEqualTo("app1");
        assertThat(decision.path("model").asText()).isEqualTo("assistant");
        assertThat(decision.path("model_version").asText()).isEqualTo("7");
        assertThat(decision.path("outcome").path("label").asText()).isEqualTo("answered");
        assertThat(decision.path("usage").path("input_tokens").asInt()).isEqualTo(3);
    }

    @Test
    void aRefusedCall_explainsWhichStageStoppedItAndWhy() {
        HttpResponse<String> refused = node.post(
                "/v1/chat/completions",
                APP_KEY,
                "{\"model\":\"embed\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        String id = refused.headers().firstValue("x-airlock-decision-id").orElseThrow();

        JsonNode outcome = json(node.get("/v1/decisions/" + id, AUDITOR_KEY)).path("outcome");

        assertThat(outcome.path("label").asText()).isEqualTo("refused");
        assertThat(outcome.path("status").asInt()).isEqualTo(400);
        assertThat(outcome.path("stage").asText()).isEqualTo("resolve");
        assertThat(outcome.path("code").asText()).isEqualTo("model_kind_mismatch");
    }

    @Test
    void anotherTenant_cannotTellTheDecisionExists() {
        String id = answeredDecisionId();

        HttpResponse<String> response = node.get("/v1/decisions/" + id, OTHER_TENANT_AUDITOR_KEY);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).doesNotContain("app1").doesNotContain("assistant");
        assertThat(node.get("/v1/decisions/" + id, null).statusCode()).isEqualTo(401);
    }

    @Test
    void anAppKey_mayNotReadDecisions() {
        HttpResponse<String> response = node.get("/v1/decisions/" + answeredDecisionId(), APP_KEY);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(TestNode.error(response).path("code").asText()).isEqualTo("permission_denied");
    }

    @Test
    void search_andJsonLinesExport_returnTheTenantsDecisions() {
        String first = answeredDecisionId();
        String second = answeredDecisionId();

        JsonNode list = json(node.get("/v1/decisions?model=assistant&outcome=answered&limit=1000", AUDITOR_KEY));
        List<String> listed = list.path("data").findValuesAsText("id");
        assertThat(listed).contains(first, second);
        assertThat(listed.indexOf(first)).isLessThan(listed.indexOf(second));

        HttpResponse<String> export = node.get("/v1/decisions?format=jsonl&outcome=answered", AUDITOR_KEY);
        assertThat(export.headers().firstValue("content-type").orElse("")).startsWith("application/x-ndjson");
        List<String> exported = export.body()
                .lines()
                .map(l -> TestNode.parse(l).path("id").asText())
                .toList();
        assertThat(exported).contains(first, second);

        assertThat(node.get("/v1/decisions?format=jsonl", OTHER_TENANT_AUDITOR_KEY)
                        .body())
                .isEmpty();
    }

    @Test
    void badSearchParameters_are400_namingTheParameter() {
        assertThat(TestNode.error(node.get("/v1/decisions?from=yesterday", AUDITOR_KEY))
                        .path("param")
                        .asText())
                .isEqualTo("from");
        assertThat(TestNode.error(node.get("/v1/decisions?outcome=maybe", AUDITOR_KEY))
                        .path("param")
                        .asText())
                .isEqualTo("outcome");
        assertThat(TestNode.error(node.get("/v1/decisions?limit=0", AUDITOR_KEY))
                        .path("param")
                        .asText())
                .isEqualTo("limit");
    }

    @Test
    void anUnknownId_is404() {
        HttpResponse<String> response = node.get("/v1/decisions/no-such-decision", AUDITOR_KEY);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(TestNode.error(response).path("code").asText()).isEqualTo("decision_not_found");
    }
}
