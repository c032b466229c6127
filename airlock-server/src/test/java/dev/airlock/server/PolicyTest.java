package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.server.config.ConfigException;
import dev.airlock.server.config.ConfigLoader;
import dev.airlock.testkit.FakeOpenAi;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Policy rules in CEL from configuration, judged in the pipeline against a local OpenAI-protocol upstream. */
class PolicyTest {
    private static final String APP = TestNode.APP_KEY;
    private static final String AUDITOR = TestNode.AUDITOR_KEY;

    static final String POLICIES = """
            policies:
              refunds:
                versions:
                  "1":
                    labels: [production]
                    rules:
                      - name: card-to-external
                        when: "'card' in guard.pii && provider.trust == 'external'"
                        effect: redact
                        reason: PII_TO_EXTERNAL
                      - name: large-refund
                        when: "has(request.metadata.amount) && request.metadata.amount > 1000"
                        effect: deny
                        reason: REFUND_OVER_LIMIT
                      - name: no-promises
                        stage: output
                        when: "output.text.contains('guarantee')"
                        effect: deny
                    examples:
                      - name: a large refund is refused
                        context: {request: {metadata: {amount: 1500}}}
                        expect: deny
                        reasons: [REFUND_OVER_LIMIT]
                      - name: a card number for an on-premises model passes
                        context: {guard: {pii: [card]}, provider: {trust: on-premises}}
                        expect: allow
            """;

    @TempDir
    static Path dir;

    static FakeOpenAi upstream;
    static Airlock node;

    @BeforeAll
    static void start() {
        upstream = FakeOpenAi.start();
        node = TestNode.startAgainst(dir, upstream, """
                models:
                  refunds-assistant: {kind: chat, provider: up, policies: [refunds@production]}
                keys:
                  - {id: app1, tenant: acme, role: app, secret: "app-secret-0123456789abcdef"}
                  - {id: audit1, tenant: acme, role: auditor, secret: "audit-secret-0123456789abcdef"}
                """ + POLICIES);
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
    void aDenyRuleAtInput_refusesBeforeAnythingLeaves_andTheDecisionSaysWhichRuleAndVersion() {
        HttpResponse<String> r = chat("{\"amount\": 1500}", "please refund my order");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(TestNode.json(r).path("error").path("code").asText()).isEqualTo("policy_denied");
        assertThat(TestNode.json(r).path("error").path("message").asText())
                .isEqualTo("Refused by policy refunds@1, rule 'large-refund' (REFUND_OVER_LIMIT).");
        assertThat(upstream.received()).isEmpty();
        JsonNode decision = TestHttp.decisionOf(node.baseUrl(), r, AUDITOR);
        assertThat(decision.path("reasons").toString()).contains("REFUND_OVER_LIMIT");
        assertThat(decision.path("notes").toString()).contains("policy:deny").contains("refunds@1");
    }

    @Test
    void aRedactRule_replacesTheCardNumberBeforeItReachesAnExternalProvider() {
        HttpResponse<String> r = chat("{\"amount\": 20}", "refund to card 4111 1111 1111 1111 please");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String sent = upstream.lastReceived()
                .body()
                .path("messages")
                .get(0)
                .path("content")
                .asText();
        assertThat(sent).doesNotContain("4111").contains("[CARD]");
        assertThat(TestHttp.decisionOf(node.baseUrl(), r, AUDITOR)
                        .path("reasons")
                        .toString())
                .contains("PII_TO_EXTERNAL");
    }

    @Test
    void aDenyRuleAtOutput_withholdsTheAnswer() {
        HttpResponse<String> r = chat("{\"amount\": 20}", "do you guarantee my refund");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("no-promises").doesNotContain("echo:");
        assertThat(upstream.received()).hasSize(1);
    }

    @Test
    void aBadExpression_stopsTheStart_withFileLineAndTheCelError() {
        String yaml = """
                providers:
                  up: {kind: openai, base_url: "http://127.0.0.1:1/v1"}
                policies:
                  refunds:
                    versions:
                      "1":
                        rules:
                          - name: typo
                            when: "reqest.metadata.amount > 1"
                            effect: deny
                """;

        assertThatThrownBy(() -> new ConfigLoader(name -> null).parse(Path.of("airlock.yaml"), yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("airlock.yaml:9: policies.refunds.versions.1.rules[0].when: policy refunds@1,"
                        + " rule 'typo': ERROR: <input>:1:1: undeclared reference to 'reqest'");
    }

    private static HttpResponse<String> chat(String metadata, String text) {
        return TestHttp.post(
                node.baseUrl(),
                "/v1/chat/completions",
                APP,
                "{\"model\":\"refunds-assistant\",\"metadata\":" + metadata
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}");
    }
}
