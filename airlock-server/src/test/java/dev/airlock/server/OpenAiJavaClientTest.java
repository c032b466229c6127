package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStreamEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official OpenAI Java client, unchanged but for its base URL, on Airlock's Responses API: create, stream,
 * continue with {@code previous_response_id}, function calls, retrieve and delete, and errors raised as the client's
 * own exceptions. The client validates every response it reads against its own model of the API.
 */
class OpenAiJavaClientTest {
    private static final String KEPT = "kept-assistant";

    @TempDir
    Path dir;

    private TestNode node;
    private OpenAIClient client;

    @BeforeEach
    void start() {
        node = TestNode.start(dir);
        client = OpenAIOkHttpClient.builder()
                .baseUrl(node.url("/v1"))
                .apiKey(TestNode.APP_KEY)
                .maxRetries(0)
                .responseValidation(true)
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        node.close();
    }

    private static String text(Response response) {
        StringBuilder text = new StringBuilder();
        for (ResponseOutputItem item : response.output()) {
            item.message()
                    .ifPresent(message ->
                            message.content().forEach(part -> part.outputText().ifPresent(t -> text.append(t.text()))));
        }
        return text.toString();
    }

    @Test
    void create_thenContinueWithPreviousResponseId_thenRetrieveAndDelete() {
        Response first = client.responses()
                .create(ResponseCreateParams.builder()
                        .model(KEPT)
                        .instructions("Answer briefly.")
                        .input("My name is Ada.")
                        .build());

        assertThat(text(first)).isEqualTo("echo: My name is Ada.");
        assertThat(first.usage().orElseThrow().outputTokens()).isPositive();

        Response second = client.responses()
                .create(ResponseCreateParams.builder()
                        .model(KEPT)
                        .previousResponseId(first.id())
                        .input("What is my name?")
                        .build());

        assertThat(second.previousResponseId()).contains(first.id());
        assertThat(node.upstream.lastReceived().body().path("messages").size())
                .as("the stored turn and the new one, without the first call's instructions")
                .isEqualTo(3);
        assertThat(client.responses().retrieve(second.id()).id()).isEqualTo(second.id());

        client.responses().delete(second.id());
        assertThatThrownBy(() -> client.responses().retrieve(second.id()))
                .isInstanceOfSatisfying(
                        NotFoundException.class, e -> assertThat(e.code()).contains("response_not_found"));
    }

    @Test
    void streaming_isReadByTheClientAsResponsesEvents() {
        StringBuilder deltas = new StringBuilder();
        Response completed;
        try (StreamResponse<ResponseStreamEvent> stream = client.responses()
                .createStreaming(ResponseCreateParams.builder()
                        .model(KEPT)
                        .input("Stream the answer please")
                        .build())) {
            List<ResponseStreamEvent> events = stream.stream().toList();
            events.forEach(e -> e.outputTextDelta().ifPresent(d -> deltas.append(d.delta())));
            assertThat(events.getFirst().created()).isPresent();
            completed = events.getLast().completed().orElseThrow().response();
        }

        assertThat(deltas.toString()).isEqualTo("echo: Stream the answer please");
        assertThat(text(completed)).isEqualTo("echo: Stream the answer please");
        assertThat(client.responses().retrieve(completed.id()).output()).hasSize(1);
    }

    @Test
    void aFunctionTool_comesBackAsAFunctionCall() {
        node.upstream.nextToolCall("get_rate", "{\"currency\":\"EUR\"}");

        Response response = client.responses()
                .create(ResponseCreateParams.builder()
                        .model(KEPT)
                        .input("What is the EUR rate?")
                        .addTool(FunctionTool.builder()
                                .name("get_rate")
                                .parameters(FunctionTool.Parameters.builder()
                                        .putAdditionalProperty("type", JsonValue.from("object"))
                                        .putAdditionalProperty(
                                                "properties",
                                                JsonValue.from(Map.of("currency", Map.of("type", "string"))))
                                        .build())
                                .strict(false)
                                .build())
                        .build());

        var call = response.output().getFirst().functionCall().orElseThrow();
        assertThat(call.name()).isEqualTo("get_rate");
        assertThat(call.arguments()).isEqualTo("{\"currency\":\"EUR\"}");
        assertThat(call.callId()).isEqualTo("call_fake_1");
    }

    @Test
    void anUnknownModel_isTheClientsNotFoundException() {
        assertThatThrownBy(() -> client.responses()
                        .create(ResponseCreateParams.builder()
                                .model("no-such-model")
                                .input("x")
                                .build()))
                .isInstanceOfSatisfying(
                        NotFoundException.class, e -> assertThat(e.code()).contains("model_not_found"));
    }
}
