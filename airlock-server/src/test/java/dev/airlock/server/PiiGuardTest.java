package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.server.config.ConfigLoader;
import dev.airlock.testkit.FakeOpenAi;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Personal data is redacted before it leaves for the upstream, or the request is refused; the Decision says so. */
class PiiGuardTest {
    @TempDir
    static Path dir;

    static FakeOpenAi upstream;
    static Airlock node;

    @BeforeAll
    static void start() {
        upstream = FakeOpenAi.start();
        String yaml = """
                server: {port: 0}
                store: {url: "jdbc:sqlite:%s"}
                providers:
                  up: {kind: openai, base_url: "%s"}
                models:
                  redacting: {kind: chat, provider: up, guards: {pii: {action: redact}}}
                  cards-only: {kind: chat, provider: up, guards: {pii: {action: redact, types: [card]}}}
                  strict: {kind: chat, provider: up, guards: {pii: {action: block}}}
                  tokenizing: {kind: chat, provider: up, guards: {pii: {action: tokenize}}}
                  masking: {kind: chat, provider: up, guards: {pii: {action: mask}}}
                  kept-redacted: {kind: chat, provider: up, retention: {content: redacted, keep_for: 1d}}
                keys:
                  - {id: app1, tenant: acme, role: app, secret: "app1-secret-0123456789abcdef"}
                  - {id: audit1, tenant: acme, role: auditor, secret: "audit1-secret-0123456789abcdef"}
                """.formatted(dir.resolve("airlock.db"), upstream.baseUrl());
        node = Airlock.start(new ConfigLoader(name -> null).parse(dir.resolve("airlock.yaml"), yaml));
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        upstream.close();
    }

    @BeforeEach
    void reset() {
        upstream.clear();
    }

    private static HttpResponse<String> chat(String model, String content) {
        return TestHttp.post(
                node.baseUrl(),
                "/v1/chat/completions",
                "ak_app1_app1-secret-0123456789abcdef",
                "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":" + content + "}]}");
    }

    private static JsonNode decisionOf(HttpResponse<String> response) {
        return TestHttp.decisionOf(node.baseUrl(), response, "ak_audit1_audit1-secret-0123456789abcdef");
    }

    @Test
    void personalDataIsRedactedBeforeItLeaves_andTheDecisionNotesWhatWithoutTheValues() {
        HttpResponse<String> response = chat(
                "redacting",
                "\"My card is 4111 1111 1111 1111 and my email jane@example.com; IBAN DE89370400440532013000\"");

        assertThat(response.statusCode()).isEqualTo(200);
        String sent = upstream.lastReceived()
                .body()
                .path("messages")
                .path(0)
                .path("content")
                .asText();
        assertThat(sent)
                .isEqualTo("My card is [CARD] and my email [EMAIL]; IBAN [IBAN]")
                .doesNotContain("4111", "jane@", "DE89");
        JsonNode d = decisionOf(response);
        assertThat(d.toString()).doesNotContain("4111 1111", "jane@example.com", "DE8937");
        assertThat(d.path("notes").toString())
                .contains("redacted")
                .contains("card x1")
                .contains("email x1");
    }

    @Test
    void tokenizedData_neverReachesTheUpstream_andTheCallerGetsItBackInTheAnswer() {
        HttpResponse<String> response = chat(
                "tokenizing",
                "\"Mail jane@example.com and \\\"jo\\\"@example.org, then jane@example.com again; card 4111 1111 1111"
                        + " 1111\"");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String sent = upstream.lastReceived()
                .body()
                .path("messages")
                .path(0)
                .path("content")
                .asText();
        assertThat(sent)
                .isEqualTo("Mail [EMAIL_1] and \"jo\"@example.org, then [EMAIL_1] again; card [CARD_1]")
                .doesNotContain("jane@", "4111");
        String answered = TestNode.json(response)
                .path("choices")
                .path(0)
                .path("message")
                .path("content")
                .asText();
        assertThat(answered)
                .isEqualTo("echo: Mail jane@example.com and \"jo\"@example.org, then jane@example.com again; card 4111"
                        + " 1111 1111 1111");
        JsonNode d = decisionOf(response);
        assertThat(d.path("notes").toString()).contains("tokenized").doesNotContain("jane@");
        HttpResponse<String> streamed = TestHttp.post(
                node.baseUrl(),
                "/v1/chat/completions",
                "ak_app1_app1-secret-0123456789abcdef",
                "{\"model\":\"tokenizing\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"jane@example.com\"}]}");
        assertThat(streamed.statusCode()).isEqualTo(400);
        assertThat(streamed.body()).contains("tokenization_requires_complete_answer");
    }

    @Test
    void maskedData_keepsOnlyWhatAPersonNeedsToRecogniseIt() {
        chat("masking", "\"card 4111 1111 1111 1111, mail jane@example.com\"");

        assertThat(upstream.lastReceived()
                        .body()
                        .path("messages")
                        .path(0)
                        .path("content")
                        .asText())
                .isEqualTo("card **** **** **** 1111, mail j***@example.com");
    }

    @Test
    void onlyTheListedTypesAreRedacted() {
        chat("cards-only", "\"card 5555555555554444, mail jane@example.com\"");

        assertThat(upstream.lastReceived()
                        .body()
                        .path("messages")
                        .path(0)
                        .path("content")
                        .asText())
                .isEqualTo("card [CARD], mail jane@example.com");
    }

    @Test
    void textPartsOfAMultipartMessageAreRedactedToo() {
        chat(
                "redacting",
                "[{\"type\":\"text\",\"text\":\"ssn 123-45-6789\"},{\"type\":\"image_url\",\"image_url\":"
                        + "{\"url\":\"https://example.com/x.png\"}}]");

        JsonNode parts = upstream.lastReceived().body().path("messages").path(0).path("content");
        assertThat(parts.path(0).path("text").asText()).isEqualTo("ssn [SSN]");
        assertThat(parts.path(1).path("image_url").path("url").asText()).isEqualTo("https://example.com/x.png");
    }

    @Test
    void redactedRetention_keepsTheConversationWithoutThePersonalData() {
        HttpResponse<String> response = chat("kept-redacted", "\"my email is jane@example.com\"");

        JsonNode content = decisionOf(response).path("content");
        assertThat(content.path("state").asText()).isEqualTo("kept");
        assertThat(content.path("input").asText()).isEqualTo("user: my email is [EMAIL]\n");
        assertThat(content.path("output").asText()).isEqualTo("echo: my email is [EMAIL]");
    }

    @Test
    void aBlockingPolicyRefusesTheRequest_andNothingLeaves() {
        HttpResponse<String> response = chat("strict", "\"reach me at +44 20 7946 0958\"");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(TestNode.parse(response.body()).path("error").path("code").asText())
                .isEqualTo("personal_data_refused");
        assertThat(upstream.received()).isEmpty();
        assertThat(decisionOf(response).path("reasons").toString()).contains("PII_BLOCKED");
    }
}
