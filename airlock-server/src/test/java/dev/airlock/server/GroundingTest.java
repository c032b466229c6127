package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.testkit.FakeOpenAi;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Collections;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Answers checked against the passages a call carries, on the in-process embedding model. */
class GroundingTest {
    private static final String APP = TestNode.APP_KEY;
    private static final String AUDITOR = TestNode.AUDITOR_KEY;
    private static final String PASSAGES = "[{\"role\":\"user\",\"content\":\"How do I reset my router?\"},"
            + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\","
            + "\"function\":{\"name\":\"search_manual\",\"arguments\":\"{}\"}}]},"
            + "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"To reset the router, press and hold the reset"
            + " button on the back for ten seconds. The lights blink green while the router restarts.\"}]";

    @TempDir
    static Path dir;

    static FakeOpenAi upstream;
    static Airlock node;

    @BeforeAll
    static void start() {
        upstream = FakeOpenAi.start();
        node = TestNode.startAgainst(dir, upstream, """
                models:
                  support: {kind: chat, provider: up, guards: {grounding: {action: review, threshold: 0.5}}}
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

    @Test
    void anAnswerSupportedByThePassages_isReturned() {
        upstream.nextAnswers("Press and hold the reset button on the back of the router for ten seconds.");

        HttpResponse<String> r = chat();

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(TestHttp.decisionOf(node.baseUrl(), r, AUDITOR).path("notes").toString())
                .contains("grounded");
    }

    @Test
    void aSentenceWithoutSupport_holdsTheAnswerForReview_andIsQuotedInTheDecision() {
        upstream.nextAnswers("Press and hold the reset button for ten seconds. Your warranty also covers accidental"
                + " water damage for five years.");

        HttpResponse<String> r = chat();

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(r.body()).contains("UNGROUNDED");
        var decision = TestHttp.decisionOf(node.baseUrl(), r, AUDITOR);
        assertThat(decision.path("notes").toString())
                .contains("1 of 2 sentence(s) without support in the passages (sentence 2)")
                .doesNotContain("warranty");
    }

    @Test
    void anAnswerWithASentenceLongerThanTheModelReads_isChecked_notRefused() {
        // one "sentence" of about 400 word pieces: a list with no full stop, as models write tables and steps
        String steps = String.join(
                ", then ",
                Collections.nCopies(
                        40, "press and hold the reset button on the back for ten seconds and wait for the lights"));
        upstream.nextAnswers(steps + ".");

        HttpResponse<String> r = chat();

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(TestHttp.decisionOf(node.baseUrl(), r, AUDITOR).path("notes").toString())
                .contains("grounded");
    }

    private static HttpResponse<String> chat() {
        return TestHttp.post(
                node.baseUrl(), "/v1/chat/completions", APP, "{\"model\":\"support\",\"messages\":" + PASSAGES + "}");
    }
}
