package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenAI's Responses API and legacy completions over real HTTP, against a local OpenAI-compatible upstream: each call
 * is a chat call underneath (one Decision, the same pipeline), stored responses continue conversations per tenant,
 * and what cannot be translated is refused naming the field.
 */
class ResponsesApiTest {
    /** Its retention keeps full content for an hour, so its responses are stored. */
    private static final String KEPT = "kept-assistant";

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

    private HttpResponse<String> create(Map<String, ?> body) {
        return node.post("/v1/responses", TestNode.APP_KEY, body);
    }

    private List<JsonNode> upstreamMessages() {
        List<JsonNode> messages = new ArrayList<>();
        node.upstream.lastReceived().body().path("messages").forEach(messages::add);
        return messages;
    }

    private static String roles(List<JsonNode> messages) {
        return String.join(
                ",", messages.stream().map(m -> m.path("role").asText()).toList());
    }

    @Test
    void aTextInput_isAnsweredAsAResponse_byOneChatDecision() {
        HttpResponse<String> answer =
                create(Map.of("model", KEPT, "input", "Is the file complete?", "instructions", "Answer briefly."));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode response = TestNode.json(answer);
        assertThat(response.path("object").asText()).isEqualTo("response");
        assertThat(response.path("id").asText()).startsWith("resp_");
        assertThat(response.path("status").asText()).isEqualTo("completed");
        assertThat(response.path("model").asText()).isEqualTo(KEPT);
        assertThat(response.path("instructions").asText()).isEqualTo("Answer briefly.");
        JsonNode message = response.path("output").path(0);
        assertThat(message.path("type").asText()).isEqualTo("message");
        assertThat(message.path("role").asText()).isEqualTo("assistant");
        assertThat(message.path("content").path(0).path("type").asText()).isEqualTo("output_text");
        assertThat(message.path("content").path(0).path("text").asText()).isEqualTo("echo: Is the file complete?");
        assertThat(response.path("usage").path("input_tokens").asLong()).isPositive();
        assertThat(response.path("usage").path("total_tokens").asLong())
                .isEqualTo(response.path("usage").path("input_tokens").asLong()
                        + response.path("usage").path("output_tokens").asLong());
        assertThat(roles(upstreamMessages())).isEqualTo("system,user");

        JsonNode decision = TestHttp.decisionOf(node.url(""), answer, TestNode.AUDITOR_KEY);
        assertThat(decision.path("kind").asText()).isEqualTo("chat");
        assertThat(decision.path("model").asText()).isEqualTo(KEPT);
        assertThat(response.path("id").asText())
                .isEqualTo("resp_" + decision.path("id").asText().replace("-", ""));
    }

    @Test
    void previousResponseId_continuesTheStoredConversation_withoutTheEarlierInstructions() {
        JsonNode first =
                TestNode.json(create(Map.of("model", KEPT, "input", "My name is Ada.", "instructions", "Be terse.")));
        assertThat(first.path("store").asBoolean()).isTrue();

        HttpResponse<String> second = create(Map.of(
                "model", KEPT,
                "previous_response_id", first.path("id").asText(),
                "input", List.of(Map.of("role", "user", "content", "What is my name?"))));

        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        assertThat(TestNode.json(second).path("previous_response_id").asText())
                .isEqualTo(first.path("id").asText());
        List<JsonNode> sent = upstreamMessages();
        assertThat(roles(sent)).isEqualTo("user,assistant,user");
        assertThat(sent.get(1).path("content").asText()).isEqualTo("echo: My name is Ada.");
        assertThat(sent.get(2).path("content").asText()).isEqualTo("What is my name?");
    }

    @Test
    void aStoredResponse_isReadAndDeletedByItsTenantOnly() {
        JsonNode created = TestNode.json(create(Map.of("model", KEPT, "input", "Keep this.")));
        String path = "/v1/responses/" + created.path("id").asText();

        HttpResponse<String> read = node.get(path, TestNode.APP_KEY);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(TestNode.json(read)).isEqualTo(created);
        HttpResponse<String> elsewhere = node.get(path, TestNode.OTHER_TENANT_KEY);
        assertThat(elsewhere.statusCode()).isEqualTo(404);
        assertThat(TestNode.json(elsewhere).path("error").path("code").asText()).isEqualTo("response_not_found");
        assertThat(node.send(node.request(path, TestNode.OTHER_TENANT_KEY)
                                .DELETE()
                                .build())
                        .statusCode())
                .isEqualTo(404);

        HttpResponse<String> deleted =
                node.send(node.request(path, TestNode.APP_KEY).DELETE().build());
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(TestNode.json(deleted).path("object").asText()).isEqualTo("response.deleted");
        assertThat(TestNode.json(deleted).path("deleted").asBoolean()).isTrue();
        assertThat(node.get(path, TestNode.APP_KEY).statusCode()).isEqualTo(404);
        assertThat(node.get(path, null).statusCode())
                .as("no key: 401 before 404")
                .isEqualTo(401);
    }

    @Test
    void storeFalse_andAModelThatKeepsNoContent_storeNothing() {
        JsonNode unstored = TestNode.json(create(Map.of("model", KEPT, "input", "Forget this.", "store", false)));
        // "assistant" keeps digests only (retention.content: hash): a stored response would keep what it may not
        JsonNode digestsOnly = TestNode.json(create(Map.of("model", "assistant", "input", "Forget this too.")));

        for (JsonNode response : List.of(unstored, digestsOnly)) {
            assertThat(response.path("store").asBoolean()).isFalse();
            assertThat(node.get("/v1/responses/" + response.path("id").asText(), TestNode.APP_KEY)
                            .statusCode())
                    .isEqualTo(404);
            HttpResponse<String> continued = create(Map.of(
                    "model",
                    KEPT,
                    "input",
                    "And?",
                    "previous_response_id",
                    response.path("id").asText()));
            assertThat(continued.statusCode()).isEqualTo(404);
            JsonNode error = TestNode.json(continued).path("error");
            assertThat(error.path("code").asText()).isEqualTo("previous_response_not_found");
            assertThat(error.path("param").asText()).isEqualTo("previous_response_id");
            assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        }
    }

    @Test
    void aResponseOfANamedSubject_goesWithTheSubjectsErasure() {
        HttpResponse<String> answer = node.send(node.request("/v1/responses", TestNode.APP_KEY)
                .header("Airlock-Subject", "customer-42")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\": \"" + KEPT + "\", \"input\": \"My IBAN is DE89370400440532013000\"}"))
                .build());
        String path = "/v1/responses/" + TestNode.json(answer).path("id").asText();
        assertThat(node.get(path, TestNode.APP_KEY).statusCode()).isEqualTo(200);

        try (var store = node.openStore()) {
            store.erasure().eraseSubject("acme", "customer-42", "dpo@acme", Instant.now());
        }

        assertThat(node.get(path, TestNode.APP_KEY).statusCode()).isEqualTo(404);
    }

    @Test
    void functionTools_reachTheUpstreamAsChatTools_andItsCallsComeBackAsFunctionCallItems() {
        node.upstream.nextToolCall("get_rate", "{\"currency\":\"EUR\"}");
        Map<String, Object> tool = Map.of(
                "type", "function",
                "name", "get_rate",
                "description", "Today's rate",
                "parameters", Map.of("type", "object", "properties", Map.of("currency", Map.of("type", "string"))));

        JsonNode response =
                TestNode.json(create(Map.of("model", KEPT, "input", "What is the EUR rate?", "tools", List.of(tool))));

        JsonNode sentTool = node.upstream.lastReceived().body().path("tools").path(0);
        assertThat(sentTool.path("type").asText()).isEqualTo("function");
        assertThat(sentTool.path("function").path("name").asText()).isEqualTo("get_rate");
        assertThat(sentTool.path("function").path("parameters").path("type").asText())
                .isEqualTo("object");
        JsonNode call = response.path("output").path(0);
        assertThat(call.path("type").asText()).isEqualTo("function_call");
        assertThat(call.path("call_id").asText()).isEqualTo("call_fake_1");
        assertThat(call.path("name").asText()).isEqualTo("get_rate");
        assertThat(call.path("arguments").asText()).isEqualTo("{\"currency\":\"EUR\"}");

        HttpResponse<String> after = create(Map.of(
                "model", KEPT,
                "previous_response_id", response.path("id").asText(),
                "input", List.of(Map.of("type", "function_call_output", "call_id", "call_fake_1", "output", "1.08"))));

        assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
        List<JsonNode> sent = upstreamMessages();
        assertThat(roles(sent)).isEqualTo("user,assistant,tool");
        assertThat(sent.get(1).path("tool_calls").path(0).path("id").asText()).isEqualTo("call_fake_1");
        assertThat(sent.get(2).path("tool_call_id").asText()).isEqualTo("call_fake_1");
        assertThat(sent.get(2).path("content").asText()).isEqualTo("1.08");
    }

    @Test
    void streaming_emitsTheResponsesEventsInOrder_endingWithTheStoredResponse() {
        HttpResponse<String> answer =
                create(Map.of("model", KEPT, "input", "Stream the answer please", "stream", true));

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<JsonNode> events = events(answer.body());
        List<String> types = events.stream().map(e -> e.path("type").asText()).toList();
        assertThat(types.subList(0, 4))
                .containsExactly(
                        "response.created",
                        "response.in_progress",
                        "response.output_item.added",
                        "response.content_part.added");
        assertThat(types.subList(types.size() - 4, types.size()))
                .containsExactly(
                        "response.output_text.done",
                        "response.content_part.done",
                        "response.output_item.done",
                        "response.completed");
        StringBuilder text = new StringBuilder();
        events.stream()
                .filter(e -> e.path("type").asText().equals("response.output_text.delta"))
                .forEach(e -> text.append(e.path("delta").asText()));
        assertThat(text.toString()).isEqualTo("echo: Stream the answer please");
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).path("sequence_number").asInt()).isEqualTo(i);
        }
        JsonNode completed = events.getLast().path("response");
        assertThat(completed.path("status").asText()).isEqualTo("completed");
        assertThat(completed.path("usage").path("output_tokens").asLong()).isPositive();
        assertThat(completed
                        .path("output")
                        .path(0)
                        .path("content")
                        .path(0)
                        .path("text")
                        .asText())
                .isEqualTo("echo: Stream the answer please");
        HttpResponse<String> stored =
                node.get("/v1/responses/" + completed.path("id").asText(), TestNode.APP_KEY);
        assertThat(TestNode.json(stored)).isEqualTo(completed);
        assertThat(events.getFirst().path("response").path("id").asText())
                .isEqualTo(completed.path("id").asText());
    }

    @Test
    void aStreamedFunctionCall_arrivesAsArgumentDeltas() {
        node.upstream.nextToolCall("get_rate", "{\"currency\":\"EUR\"}");
        Map<String, Object> tool = Map.of("type", "function", "name", "get_rate");

        List<JsonNode> events =
                events(create(Map.of("model", KEPT, "input", "Rate?", "tools", List.of(tool), "stream", true))
                        .body());

        StringBuilder arguments = new StringBuilder();
        events.stream()
                .filter(e -> e.path("type").asText().equals("response.function_call_arguments.delta"))
                .forEach(e -> arguments.append(e.path("delta").asText()));
        assertThat(arguments.toString()).isEqualTo("{\"currency\":\"EUR\"}");
        JsonNode item = events.getLast().path("response").path("output").path(0);
        assertThat(item.path("type").asText()).isEqualTo("function_call");
        assertThat(item.path("arguments").asText()).isEqualTo("{\"currency\":\"EUR\"}");
    }

    @Test
    void whatCannotBeTranslated_isRefusedNamingTheField_inOpenAisErrorShape() {
        assertInvalid(Map.of("model", KEPT, "input", List.of(Map.of("type", "web_search_call"))), "input[0].type");
        assertInvalid(
                Map.of("model", KEPT, "input", "x", "tools", List.of(Map.of("type", "web_search"))), "tools[0].type");
        assertInvalid(Map.of("model", KEPT, "input", "x", "background", true), "background");
        assertInvalid(Map.of("model", KEPT, "input", "x", "prompt", Map.of("id", "p")), "prompt");
        assertInvalid(Map.of("model", KEPT), "input");
        assertInvalid(Map.of("model", KEPT, "input", "x", "max_output_tokens", 0), "max_output_tokens");

        HttpResponse<String> unknownModel = create(Map.of("model", "no-such-model", "input", "x"));
        assertThat(unknownModel.statusCode()).isEqualTo(404);
        assertThat(TestNode.json(unknownModel).path("error").path("code").asText())
                .isEqualTo("model_not_found");
        HttpResponse<String> noKey = node.post("/v1/responses", null, Map.of("input", List.of(1)));
        assertThat(noKey.statusCode())
                .as("a caller without a key learns nothing of the body")
                .isEqualTo(401);
    }

    private void assertInvalid(Map<String, ?> body, String param) {
        HttpResponse<String> refused = create(body);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        JsonNode error = TestNode.json(refused).path("error");
        assertThat(error.path("param").asText()).isEqualTo(param);
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("message").asText()).contains(param);
    }

    @Test
    void legacyCompletions_answerWithTheChatPipeline() {
        HttpResponse<String> answer = node.post(
                "/v1/completions",
                TestNode.APP_KEY,
                Map.of("model", "assistant", "prompt", "Say hello", "max_tokens", 7));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode body = TestNode.json(answer);
        assertThat(body.path("object").asText()).isEqualTo("text_completion");
        assertThat(body.path("choices").path(0).path("text").asText()).isEqualTo("echo: Say hello");
        assertThat(body.path("choices").path(0).path("finish_reason").asText()).isEqualTo("stop");
        assertThat(body.path("usage").path("prompt_tokens").asLong()).isPositive();
        JsonNode sent = node.upstream.lastReceived().body();
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(7);
        assertThat(roles(upstreamMessages())).isEqualTo("user");
        assertThat(TestHttp.decisionOf(node.url(""), answer, TestNode.AUDITOR_KEY)
                        .path("kind")
                        .asText())
                .isEqualTo("chat");

        HttpResponse<String> streamed = node.post(
                "/v1/completions",
                TestNode.APP_KEY,
                Map.of("model", "assistant", "prompt", "Stream it", "stream", true));
        StringBuilder text = new StringBuilder();
        for (String line : streamed.body().split("\n")) {
            if (line.startsWith("data: {")) {
                JsonNode chunk = TestNode.parse(line.substring(6));
                assertThat(chunk.path("object").asText()).isEqualTo("text_completion");
                text.append(chunk.path("choices").path(0).path("text").asText(""));
            }
        }
        assertThat(text.toString()).isEqualTo("echo: Stream it");
        assertThat(streamed.body()).endsWith("data: [DONE]\n\n");

        HttpResponse<String> many =
                node.post("/v1/completions", TestNode.APP_KEY, Map.of("model", "assistant", "prompt", "x", "n", 2));
        assertThat(many.statusCode()).isEqualTo(400);
        assertThat(TestNode.json(many).path("error").path("param").asText()).isEqualTo("n");
    }

    /** The data of each server-sent event, checking that its event name is its type. */
    private static List<JsonNode> events(String body) {
        List<JsonNode> events = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            if (block.isBlank()) {
                continue;
            }
            String[] lines = block.split("\n");
            assertThat(lines[0]).startsWith("event: ");
            JsonNode data = TestNode.parse(lines[1].substring("data: ".length()));
            assertThat(data.path("type").asText()).isEqualTo(lines[0].substring("event: ".length()));
            events.add(data);
        }
        return events;
    }
}
