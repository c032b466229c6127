package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.server.config.ConfigLoader;
import dev.airlock.testkit.FakeOpenAi;
import dev.airlock.testkit.FakeOpenAi.Behaviour;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traces as a collector receives them: a node exporting over OTLP/HTTP to a local receiver, a chat call whose first
 * provider fails and whose fallback answers. The spans form server → Decision → stages → one span per provider
 * attempt, named and attributed by OpenTelemetry's GenAI conventions; a caller's {@code traceparent} is continued,
 * carried to the upstream and recorded in the Decision.
 */
class TracingTest {
    private static final String KEY = "ak_app1_app-secret-0123456789abcdef";
    private static final String AUDITOR = "ak_audit1_audit-secret-0123456789abcdef";
    private static final String CHAT =
            "{\"model\":\"routed\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";

    @TempDir
    static Path dir;

    static OtlpReceiver collector;
    static FakeOpenAi primary;
    static FakeOpenAi secondary;
    static Airlock node;

    @BeforeAll
    static void start() {
        collector = OtlpReceiver.start();
        primary = FakeOpenAi.start();
        secondary = FakeOpenAi.start();
        String yaml =
                """
                server: {port: 0}
                store: {url: "jdbc:sqlite:%s"}
                tracing:
                  otlp_endpoint: "%s"
                  service_name: airlock-traced
                  headers: {x-collector-token: t0ken}
                providers:
                  primary: {kind: openai, base_url: "%s", timeout: 2s, breaker: {window: 1000, min_calls: 1000}}
                  secondary: {kind: openai, base_url: "%s", timeout: 2s, breaker: {window: 1000, min_calls: 1000}}
                models:
                  routed:
                    kind: chat
                    route:
                      - {provider: primary, upstream_model: gpt-a}
                      - {provider: secondary, upstream_model: gpt-b}
                    retry: {attempts: 1}
                keys:
                  - {id: app1, tenant: acme, role: app, secret: "app-secret-0123456789abcdef"}
                  - {id: audit1, tenant: acme, role: auditor, secret: "audit-secret-0123456789abcdef"}
                """.formatted(dir.resolve("airlock.db"), collector.endpoint(), primary.baseUrl(), secondary.baseUrl());
        node = Airlock.start(new ConfigLoader(name -> null).parse(dir.resolve("airlock.yaml"), yaml));
    }

    @AfterAll
    static void stop() {
        node.close();
        primary.close();
        secondary.close();
        collector.close();
    }

    @BeforeEach
    void reset() {
        primary.always(Behaviour.normal());
        primary.clear();
        secondary.clear();
    }

    @Test
    void aChatWithFallback_exportsTheDecisionItsStagesAndOneSpanPerAttempt() {
        primary.always(Behaviour.error(500, "primary down"));
        HttpResponse<String> response = TestHttp.post(node.baseUrl(), "/v1/chat/completions", KEY, CHAT);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode decision = TestHttp.decisionOf(node.baseUrl(), response, AUDITOR);
        String traceId = decision.path("trace_id").asText();
        assertThat(traceId).matches("[0-9a-f]{32}");
        String traceparent = response.headers().firstValue("traceparent").orElseThrow();
        assertThat(traceparent).startsWith("00-" + traceId + "-");

        List<OtlpReceiver.Received> spans = spansOf(traceId, 12);
        var server = only(spans, "POST /v1/chat/completions");
        assertThat(server.kind()).isEqualTo(SpanKind.SPAN_KIND_SERVER);
        assertThat(traceparent).startsWith("00-" + traceId + "-" + server.spanId() + "-");
        assertThat(server.attributes()).containsEntry("http.response.status_code", "200");
        assertThat(server.resource()).containsEntry("service.name", "airlock-traced");

        var call = only(spans, "chat routed");
        assertThat(call.parentSpanId()).isEqualTo(server.spanId());
        assertThat(call.attributes())
                .containsEntry("gen_ai.operation.name", "chat")
                .containsEntry("gen_ai.request.model", "routed")
                .containsEntry("gen_ai.provider.name", "secondary")
                .containsEntry("gen_ai.response.model", "gpt-b")
                .containsEntry("airlock.decision.id", decision.path("id").asText())
                .containsEntry("airlock.outcome", "answered")
                .containsKeys("gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens");

        for (String stage : List.of(
                "authenticate", "admit", "resolve", "guard_input", "invoke", "guard_output", "review", "record")) {
            assertThat(only(spans, "airlock." + stage).parentSpanId()).as(stage).isEqualTo(call.spanId());
        }
        var invoke = only(spans, "airlock.invoke");
        var failed = only(spans, "chat gpt-a");
        var answered = only(spans, "chat gpt-b");
        assertThat(List.of(failed.parentSpanId(), answered.parentSpanId())).containsOnly(invoke.spanId());
        assertThat(failed.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
        assertThat(failed.error()).isTrue();
        assertThat(failed.attributes())
                .containsEntry("gen_ai.operation.name", "chat")
                .containsEntry("gen_ai.provider.name", "primary")
                .containsEntry("gen_ai.request.model", "gpt-a")
                .containsEntry("error.type", "500");
        assertThat(answered.error()).isFalse();
        assertThat(answered.attributes())
                .containsEntry("gen_ai.provider.name", "secondary")
                .containsEntry("gen_ai.request.model", "gpt-b")
                .containsEntry("gen_ai.response.model", "gpt-b")
                .containsEntry("gen_ai.usage.input_tokens", Long.toString(FakeOpenAi.tokens("hello")))
                .containsEntry("gen_ai.response.finish_reasons", "[stop]")
                .doesNotContainKey("error.type");
        assertThat(collector.tokens()).contains("t0ken");
    }

    @Test
    void aCallersTraceparent_isContinued_carriedToTheUpstream_andRecordedInTheDecision() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String callerSpan = "00f067aa0ba902b7";
        HttpResponse<String> response = TestHttp.send(TestHttp.request(node.baseUrl(), "/v1/chat/completions", KEY)
                .header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
                .header("tracestate", "vendor=opaque")
                .POST(HttpRequest.BodyPublishers.ofString(CHAT))
                .build());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("traceparent").orElseThrow()).startsWith("00-" + traceId + "-");
        assertThat(response.headers().firstValue("tracestate")).contains("vendor=opaque");
        assertThat(TestHttp.decisionOf(node.baseUrl(), response, AUDITOR)
                        .path("trace_id")
                        .asText())
                .isEqualTo(traceId);

        String upstream = primary.lastReceived().header("traceparent");
        assertThat(upstream).startsWith("00-" + traceId + "-").endsWith("-01");
        List<OtlpReceiver.Received> spans = spansOf(traceId, 11);
        assertThat(only(spans, "POST /v1/chat/completions").parentSpanId()).isEqualTo(callerSpan);
        var attempt = only(spans, "chat gpt-a");
        assertThat(upstream).isEqualTo("00-" + traceId + "-" + attempt.spanId() + "-01");
    }

    @Test
    void anUnsampledCaller_isNotRecorded_butItsTraceIdIsStillPassedOn() {
        String traceId = "0af7651916cd43dd8448eb211c80319c";
        HttpResponse<String> response = TestHttp.send(TestHttp.request(node.baseUrl(), "/v1/chat/completions", KEY)
                .header("traceparent", "00-" + traceId + "-b7ad6b7169203331-00")
                .POST(HttpRequest.BodyPublishers.ofString(CHAT))
                .build());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(primary.lastReceived().header("traceparent"))
                .startsWith("00-" + traceId + "-")
                .endsWith("-00");
        assertThat(TestHttp.decisionOf(node.baseUrl(), response, AUDITOR)
                        .path("trace_id")
                        .asText())
                .isEqualTo(traceId);
    }

    private static List<OtlpReceiver.Received> spansOf(String traceId, int atLeast) {
        await().atMost(Duration.ofSeconds(15))
                .until(() -> collector.trace(traceId).size() >= atLeast);
        return collector.trace(traceId);
    }

    private static OtlpReceiver.Received only(List<OtlpReceiver.Received> spans, String name) {
        var named = spans.stream().filter(s -> s.name().equals(name)).toList();
        assertThat(named).as("spans named '%s' among %s", name, names(spans)).hasSize(1);
        return named.getFirst();
    }

    private static List<String> names(List<OtlpReceiver.Received> spans) {
        return spans.stream().map(OtlpReceiver.Received::name).toList();
    }
}
