package dev.airlock.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.decision.Decision;
import dev.airlock.decision.Outcome;
import dev.airlock.decision.Stop;
import dev.airlock.decision.Usage;
import dev.airlock.pipeline.Decided;
import dev.airlock.pipeline.Pipeline;
import dev.airlock.provider.ChatChunk;
import dev.airlock.provider.ChatMessage;
import dev.airlock.provider.ChatRequest;
import dev.airlock.provider.ChatResult;
import dev.airlock.provider.ChunkSink;
import dev.airlock.provider.StreamSummary;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Legacy text completions ({@code POST /v1/completions}) over the chat pipeline: the prompt is the user's message,
 * the answer's text the completion. Same guards, budgets, routing, Decision and audit as chat.
 */
final class CompletionRoutes {
    private static final String STAGE = "parse";
    /** Passed on as chat options. */
    private static final Set<String> OPTIONS = Set.of(
            "max_tokens",
            "temperature",
            "top_p",
            "stop",
            "presence_penalty",
            "frequency_penalty",
            "seed",
            "user",
            "logit_bias");

    private final OpenAiRoutes openAi;
    private final Pipeline pipeline;
    private final ObjectMapper json;
    private final JsonBody bodies;

    CompletionRoutes(OpenAiRoutes openAi, Pipeline pipeline, ObjectMapper json) {
        this.openAi = openAi;
        this.pipeline = pipeline;
        this.json = json;
        this.bodies = new JsonBody(json);
    }

    void register(Javalin app) {
        app.post("/v1/completions", this::complete);
    }

    private void complete(Context ctx) {
        String credentials = Credentials.of(ctx);
        ChatRequest chat = openAi.parse(credentials, () -> read(BodyLimit.bytes(ctx)));
        if (chat.stream()) {
            stream(ctx, credentials, chat);
            return;
        }
        Decided<ChatResult> decided = pipeline.chat(openAi.caller(ctx, credentials), chat);
        openAi.respond(ctx, decided, result -> {
            JsonNode choice = parse(result.body()).path("choices").path(0);
            ObjectNode body = head(decided.decision(), chat.model(), "text_completion");
            ObjectNode item = body.putArray("choices")
                    .addObject()
                    .put("text", choice.path("message").path("content").asText(""))
                    .put("index", 0);
            item.putNull("logprobs");
            item.put("finish_reason", choice.path("finish_reason").asText("stop"));
            body.set("usage", usage(decided.decision().usage()));
            Responses.ok(ctx, body);
        });
    }

    private void stream(Context ctx, String credentials, ChatRequest chat) {
        var sse = new SseSink(ctx.res());
        ChunkSink completions = new ChunkSink() {
            private @Nullable String decisionId;

            @Override
            public void opened(String id) {
                decisionId = id;
                sse.opened(id);
            }

            @Override
            public void accept(ChatChunk chunk) {
                JsonNode choice = parse(chunk.json()).path("choices").path(0);
                ObjectNode event = json.createObjectNode()
                        .put(
                                "id",
                                "cmpl-"
                                        + Objects.requireNonNull(decisionId, "opened")
                                                .replace("-", ""))
                        .put("object", "text_completion")
                        .put("created", System.currentTimeMillis() / 1000)
                        .put("model", chat.model());
                if (chunk.usageOnly()) {
                    event.putArray("choices");
                    event.set("usage", usage(Objects.requireNonNullElse(chunk.usage(), new Usage(0, 0, 0))));
                } else {
                    ObjectNode item = event.putArray("choices")
                            .addObject()
                            .put("text", chunk.deltaText())
                            .put("index", 0);
                    item.putNull("logprobs");
                    item.set(
                            "finish_reason",
                            choice.path("finish_reason").isTextual() ? choice.get("finish_reason") : null);
                    // some upstreams (llama.cpp) report usage on the finishing chunk itself: pass it on there
                    JsonNode usage = parse(chunk.json()).path("usage");
                    if (usage.isObject()) {
                        event.set("usage", usage);
                    }
                }
                sse.accept(new ChatChunk(event.toString(), chunk.deltaText(), chunk.usage(), chunk.usageOnly()));
            }
        };
        Decided<StreamSummary> decided = pipeline.chatStream(openAi.caller(ctx, credentials), chat, completions);
        sse.decided();
        if (!sse.started()) {
            openAi.respond(ctx, decided, summary -> sse.done());
            return;
        }
        switch (decided.decision().outcome()) {
            case Outcome.Answered answered -> sse.done();
            case Outcome.Refused refused ->
                sse.fail(errorJson(refused.stop().code(), refused.stop().message()));
            case Outcome.Failed failed ->
                sse.fail(errorJson(failed.stop().code(), failed.stop().message()));
        }
    }

    private ChatRequest read(byte[] body) {
        ObjectNode root = bodies.object(body, false, STAGE);
        JsonNode model = root.get("model");
        if (model == null || !model.isTextual() || model.asText().isBlank()) {
            throw invalid("model", "'model' is required: a non-empty string");
        }
        String prompt = prompt(root.get("prompt"));
        refuseUnless(root, "n", n -> n.isNull() || n.asInt() == 1, "only one completion per call is served (n: 1)");
        refuseUnless(root, "best_of", n -> n.isNull() || n.asInt() == 1, "best_of other than 1 is not served");
        refuseUnless(root, "echo", e -> !e.asBoolean(false), "echo is not served; leave it out or false");
        refuseUnless(root, "suffix", JsonNode::isNull, "suffix (insertion) is not served");
        refuseUnless(root, "logprobs", JsonNode::isNull, "logprobs are not served");
        Map<String, Object> options = new LinkedHashMap<>();
        boolean includeUsage = false;
        for (var field : root.properties()) {
            String name = field.getKey();
            if (OPTIONS.contains(name)) {
                CompletionOptions.check(name, field.getValue());
                options.put(name, JsonValues.valueOf(field.getValue()));
            } else if ("stream_options".equals(name)) {
                includeUsage = field.getValue().path("include_usage").asBoolean(false);
            } else if (!Set.of("model", "prompt", "stream", "n", "best_of", "echo", "suffix", "logprobs")
                    .contains(name)) {
                throw invalid(
                        Stop.echo(name), "'" + Stop.echo(name) + "' is not supported by /v1/completions; remove it");
            }
        }
        JsonNode stream = root.path("stream");
        if (!stream.isMissingNode() && !stream.isNull() && !stream.isBoolean()) {
            throw invalid("stream", "'stream' must be true or false");
        }
        return new ChatRequest(
                model.asText(),
                List.of(ChatMessage.of("user", prompt)),
                options,
                stream.asBoolean(false),
                includeUsage);
    }

    private static String prompt(@Nullable JsonNode prompt) {
        if (prompt != null && prompt.isTextual()) {
            return prompt.asText();
        }
        if (prompt != null
                && prompt.isArray()
                && prompt.size() == 1
                && prompt.get(0).isTextual()) {
            return prompt.get(0).asText();
        }
        throw invalid("prompt", "'prompt' must be a string (or an array of exactly one string)");
    }

    private static void refuseUnless(ObjectNode root, String field, Predicate<JsonNode> allowed, String why) {
        JsonNode node = root.get(field);
        if (node != null && !allowed.test(node)) {
            throw invalid(field, "'" + field + "': " + why);
        }
    }

    private ObjectNode head(Decision decision, String model, String object) {
        return json.createObjectNode()
                .put("id", "cmpl-" + decision.id().replace("-", ""))
                .put("object", object)
                .put("created", decision.startedAt().getEpochSecond())
                .put("model", model);
    }

    private ObjectNode usage(Usage usage) {
        return json.createObjectNode()
                .put("prompt_tokens", usage.inputTokens())
                .put("completion_tokens", usage.outputTokens())
                .put("total_tokens", usage.inputTokens() + usage.outputTokens());
    }

    private String errorJson(String code, String message) {
        ObjectNode root = json.createObjectNode();
        root.putObject("error")
                .put("message", message)
                .put("type", "api_error")
                .put("code", code)
                .putNull("param");
        return root.toString();
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            return json.createObjectNode();
        }
    }

    private static Stop.Stopped invalid(String param, String message) {
        return Stop.invalid(STAGE, param, message).toException();
    }
}
