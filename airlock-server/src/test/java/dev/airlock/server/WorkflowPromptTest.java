package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.testkit.FakeOpenAi;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An agent's declared prompt version reaches its chat model as the system message, and its Decision names it. */
class WorkflowPromptTest {
    private static final String APP = "ak_app1_app-secret-0123456789abcdef";
    private static final String AUDITOR = "ak_audit1_audit-secret-0123456789abcdef";

    @TempDir
    Path dir;

    private FakeOpenAi upstream;
    private Airlock node;

    @BeforeEach
    void start() {
        upstream = FakeOpenAi.start();
        node = TestNode.startAgainst(dir, upstream, """
                prompts:
                  planner:
                    versions:
                      "1": {template: "You plan loan assessments for {{bank}}.", variables: {bank: {type: string, default: "Example Bank"}}, labels: [production]}
                      "2": {template: "You plan loan assessments, briefly."}
                models:
                  assistant: {kind: chat, provider: up}
                workflows:
                  flows:
                    plan-only:
                      agents:
                        orchestrator: {role: orchestrator, model: assistant, prompt: "planner@production"}
                        second: {role: orchestrator, model: assistant, prompt: "planner@2"}
                        plain: {role: orchestrator, model: assistant}
                      steps:
                        - {id: plan, agent: orchestrator, chat: "Plan the assessment of ${input.applicant_id}."}
                        - {id: again, agent: second, chat: "Once more."}
                        - {id: bare, agent: plain, chat: "No prompt."}
                keys:
                  - {id: app1, tenant: acme, role: app, secret: "app-secret-0123456789abcdef"}
                  - {id: audit1, tenant: acme, role: auditor, secret: "audit-secret-0123456789abcdef"}
                """);
    }

    @AfterEach
    void stop() {
        node.close();
        upstream.close();
    }

    @Test
    void theAgentsPromptVersion_isRenderedBeforeTheStepsText_andEachDecisionRecordsIt() {
        HttpResponse<String> started = TestHttp.post(
                node.baseUrl(),
                "/v1/admin/workflows/plan-only/runs",
                APP,
                "{\"input\": {\"applicant_id\": \"A-1001\"}}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String run = TestNode.parse(started.body()).path("id").asText();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> status(run).equals("completed") || status(run).equals("failed"));
        assertThat(status(run))
                .as(TestHttp.get(node.baseUrl(), "/v1/admin/workflows/runs/" + run, APP)
                        .body())
                .isEqualTo("completed");

        assertThat(upstream.received()).hasSize(3);
        JsonNode first = upstream.received().get(0).body();
        assertThat(first.has("prompt"))
                .as("the prompt field never reaches the provider")
                .isFalse();
        assertThat(first.path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(first.path("messages").get(0).path("content").asText())
                .isEqualTo("You plan loan assessments for Example Bank.");
        assertThat(first.path("messages").get(1).path("content").asText()).isEqualTo("Plan the assessment of A-1001.");
        assertThat(upstream.received()
                        .get(1)
                        .body()
                        .path("messages")
                        .get(0)
                        .path("content")
                        .asText())
                .isEqualTo("You plan loan assessments, briefly.");
        JsonNode bare = upstream.received().get(2).body().path("messages");
        assertThat(bare).hasSize(1);
        assertThat(bare.get(0).path("role").asText()).isEqualTo("user");

        JsonNode events = TestNode.parse(
                        TestHttp.get(node.baseUrl(), "/v1/admin/workflows/runs/" + run + "/events", APP)
                                .body())
                .path("data");
        assertThat(promptVersionOf(events, "plan")).isEqualTo("planner@1");
        assertThat(promptVersionOf(events, "again")).isEqualTo("planner@2");
    }

    private String promptVersionOf(JsonNode events, String step) {
        for (JsonNode e : events) {
            if (e.path("type").asText().equals("step.completed")
                    && e.path("step").asText().equals(step)) {
                String decision = e.path("decision_id").asText();
                return TestNode.parse(TestHttp.get(node.baseUrl(), "/v1/decisions/" + decision, AUDITOR)
                                .body())
                        .path("prompt_version")
                        .asText();
            }
        }
        throw new AssertionError("no completed step " + step + " in " + events);
    }

    private String status(String run) {
        return TestNode.parse(TestHttp.get(node.baseUrl(), "/v1/admin/workflows/runs/" + run, APP)
                        .body())
                .path("status")
                .asText();
    }
}
