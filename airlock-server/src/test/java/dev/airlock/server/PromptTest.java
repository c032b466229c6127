package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.testkit.FakeOpenAi;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Versioned prompts through the pipeline, against a local OpenAI-protocol upstream. */
class PromptTest {
    private static final String APP = TestNode.APP_KEY;
    private static final String AUDITOR = TestNode.AUDITOR_KEY;

    @TempDir
    static Path dir;

    static FakeOpenAi upstream;
    static Airlock node;

    @BeforeAll
    static void start() {
        upstream = FakeOpenAi.start();
        node = TestNode.startAgainst(dir, upstream, """
                prompts:
                  support-answer:
                    versions:
                      "1":
                        template: "You answer for {{company}}."
                        variables: {company: {type: string, max_length: 40}}
                        labels: [production]
                      "2":
                        template: "You answer for {{company}} in a {{tone}} tone."
                        variables:
                          company: {type: string, max_length: 40}
                          tone: {enum: [friendly, formal], default: friendly}
                        labels: [staging]
                models:
                  support:
                    kind: chat
                    provider: up
                    version: "1"
                    prompt: support-answer@production
                    versions:
                      "2": {prompt: support-answer@2}
                  plain: {kind: chat, provider: up}
                keys:
                  - {id: app1, tenant: acme, role: app, secret: "app-secret-0123456789abcdef"}
                  - {id: audit1, tenant: acme, role: auditor, secret: "audit-secret-0123456789abcdef"}
                """);
    }

    @AfterAll
    static void stop() {
        node.close();
        upstream.close();
    }

    @BeforeEach
    void clear() {
        upstream.clear();
    }

    @Test
    void theModelVersionsPrompt_isRenderedAsASystemMessage_andTheDecisionRecordsItsVersion() {
        HttpResponse<String> r = chat("support", "\"prompt\":{\"variables\":{\"company\":\"Acme\"}},");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode sent = upstream.lastReceived().body();
        assertThat(sent.has("prompt"))
                .as("the prompt field never reaches the provider")
                .isFalse();
        assertThat(sent.path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(sent.path("messages").get(0).path("content").asText()).isEqualTo("You answer for Acme.");
        assertThat(sent.path("messages").get(1).path("content").asText()).isEqualTo("where is my refund");
        assertThat(TestHttp.decisionOf(node.baseUrl(), r, AUDITOR)
                        .path("prompt_version")
                        .asText())
                .isEqualTo("support-answer@1");
    }

    @Test
    void aCallMayNameAPromptVersionOrLabel_andEachVersionOfTheModelUsesItsOwn() {
        HttpResponse<String> named = chat(
                "plain",
                "\"prompt\":{\"id\":\"support-answer\",\"version\":\"staging\","
                        + "\"variables\":{\"company\":\"Acme\",\"tone\":\"formal\"}},");
        assertThat(named.statusCode()).as(named.body()).isEqualTo(200);
        assertThat(upstream.lastReceived()
                        .body()
                        .path("messages")
                        .get(0)
                        .path("content")
                        .asText())
                .isEqualTo("You answer for Acme in a formal tone.");

        HttpResponse<String> pinned = chat("support@2", "\"prompt\":{\"variables\":{\"company\":\"Acme\"}},");
        assertThat(pinned.statusCode()).isEqualTo(200);
        assertThat(TestHttp.decisionOf(node.baseUrl(), pinned, AUDITOR)
                        .path("prompt_version")
                        .asText())
                .isEqualTo("support-answer@2");
    }

    @Test
    void badVariablesAndUnknownPrompts_areClear400sAnd404s_andNothingIsSent() {
        HttpResponse<String> missing = chat("support", "");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(TestNode.json(missing).path("error").path("param").asText()).isEqualTo("prompt.variables.company");
        assertThat(TestNode.json(missing).path("error").path("message").asText())
                .isEqualTo("prompt support-answer@1 needs variable 'company' (string)");

        HttpResponse<String> badTone =
                chat("support@2", "\"prompt\":{\"variables\":{\"company\":\"Acme\",\"tone\":\"rude\"}},");
        assertThat(badTone.statusCode()).isEqualTo(400);
        assertThat(badTone.body()).contains("must be one of [friendly, formal]");

        HttpResponse<String> unknown = chat("plain", "\"prompt\":{\"id\":\"nope\"},");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(TestNode.json(unknown).path("error").path("code").asText()).isEqualTo("prompt_not_found");
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void promptsAndTheirDiffs_areReadable() {
        JsonNode listed = TestNode.json(TestHttp.get(node.baseUrl(), "/v1/prompts/support-answer", AUDITOR));
        assertThat(listed.path("versions").findValuesAsText("ref"))
                .containsExactly("support-answer@1", "support-answer@2");

        HttpResponse<String> diff =
                TestHttp.get(node.baseUrl(), "/v1/prompts/support-answer/diff?from=production&to=staging", AUDITOR);
        assertThat(diff.statusCode()).isEqualTo(200);
        assertThat(diff.body())
                .contains("--- support-answer@1")
                .contains("+++ support-answer@2")
                .contains("-You answer for {{company}}.")
                .contains("+You answer for {{company}} in a {{tone}} tone.")
                .contains("+  tone: string, optional, default friendly, one of [friendly, formal]");
        assertThat(TestHttp.get(node.baseUrl(), "/v1/prompts/support-answer", APP)
                        .statusCode())
                .isEqualTo(403);
    }

    private static HttpResponse<String> chat(String model, String prompt) {
        return TestHttp.post(
                node.baseUrl(),
                "/v1/chat/completions",
                APP,
                "{\"model\":\"" + model + "\"," + prompt
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"where is my refund\"}]}");
    }
}
