package dev.airlock.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.decision.Content;
import dev.airlock.decision.Decision;
import dev.airlock.decision.Outcome;
import dev.airlock.decision.Stop;
import dev.airlock.pipeline.Caller;
import dev.airlock.pipeline.Decided;
import dev.airlock.pipeline.Pipeline;
import dev.airlock.provider.ChatMessage;
import dev.airlock.provider.ChatRequest;
import dev.airlock.provider.ChatResult;
import dev.airlock.provider.StreamSummary;
import dev.airlock.registry.ModelCatalog;
import dev.airlock.registry.Retention;
import dev.airlock.response.ResponseStore;
import dev.airlock.response.StoredResponse;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * OpenAI's Responses API over the chat pipeline: {@code POST /v1/responses} is translated into a chat call (the same
 * guards, budgets, routing, Decision and audit as {@code /v1/chat/completions}), and its answer back into a response;
 * {@code GET} and {@code DELETE /v1/responses/{id}} read and remove the tenant's stored responses. A response is kept
 * only when the caller lets it ({@code store}) and the model's retention keeps full content, for as long as it does.
 */
final class ResponseRoutes {
    private final OpenAiRoutes openAi;
    private final Pipeline pipeline;
    private final ResponseStore responses;
    private final ModelCatalog catalog;
    private final Clock clock;
    private final ObjectMapper json;
    private final ResponsesReader reader;
    private final ResponseBodies bodies;

    ResponseRoutes(
            OpenAiRoutes openAi,
            Pipeline pipeline,
            ResponseStore responses,
            ModelCatalog catalog,
            Clock clock,
            ObjectMapper json) {
        this.openAi = openAi;
        this.pipeline = pipeline;
        this.responses = responses;
        this.catalog = catalog;
        this.clock = clock;
        this.json = json;
        this.reader = new ResponsesReader(json);
        this.bodies = new ResponseBodies(json);
    }

    void register(Javalin app) {
        app.post("/v1/responses", this::create);
        app.get("/v1/responses/{id}", this::find);
        app.delete("/v1/responses/{id}", this::delete);
    }

    private void create(Context ctx) {
        String credentials = Credentials.of(ctx);
        ResponsesReader.Call call = openAi.parse(credentials, () -> reader.read(BodyLimit.bytes(ctx)));
        ArrayNode conversation = json.createArrayNode();
        if (call.previousResponseId() != null) {
            ArrayNode before = previous(credentials, call.previousResponseId());
            answersCalls(call, before);
            conversation.addAll(before);
        }
        conversation.addAll(call.input());
        Caller caller = openAi.caller(ctx, credentials);
        ChatRequest chat = chatRequest(call, conversation);
        long createdAt = clock.instant().getEpochSecond();
        boolean keep = call.store() && keepsContent(call.model());
        if (call.stream()) {
            stream(ctx, caller, chat, call, conversation, createdAt, keep);
            return;
        }
        Decided<ChatResult> decided = pipeline.chat(caller, chat);
        openAi.respond(ctx, decided, result -> {
            Decision decision = decided.decision();
            JsonNode choice = parse(result.body()).path("choices").path(0);
            ArrayNode output = bodies.output(decision.id(), choice.path("message"));
            String finish = choice.path("finish_reason").asText(null);
            boolean stored = keep && storable(decided);
            var head = new ResponseBodies.Head(
                    ResponseBodies.responseId(decision.id()), createdAt, call.model(), call, stored);
            ObjectNode body = bodies.response(head, ResponseBodies.status(finish), output, decision.usage(), finish);
            if (stored) {
                save(head, decision, caller, body, conversation, output);
            }
            Responses.ok(ctx, body);
        });
    }

    private void stream(
            Context ctx,
            Caller caller,
            ChatRequest chat,
            ResponsesReader.Call call,
            ArrayNode conversation,
            long createdAt,
            boolean keep) {
        var sse = new SseSink(ctx.res());
        var events = new ResponseStream(
                sse,
                json,
                bodies,
                decisionId -> new ResponseBodies.Head(
                        ResponseBodies.responseId(decisionId), createdAt, call.model(), call, keep));
        Decided<StreamSummary> decided = pipeline.chatStream(caller, chat, events);
        sse.decided();
        Decision decision = decided.decision();
        if (!events.started() && !(decision.outcome() instanceof Outcome.Answered)) {
            openAi.respond(ctx, decided, summary -> {});
            return;
        }
        switch (decision.outcome()) {
            case Outcome.Answered answered -> {
                events.startIfQuiet();
                ArrayNode output = events.finishItems();
                String finish = events.finishReason();
                boolean stored = keep && storable(decided);
                var head = new ResponseBodies.Head(
                        ResponseBodies.responseId(decision.id()), createdAt, call.model(), call, stored);
                ObjectNode body =
                        bodies.response(head, ResponseBodies.status(finish), output, decision.usage(), finish);
                if (stored) {
                    save(head, decision, caller, body, conversation, output);
                }
                events.completed(body);
            }
            case Outcome.Refused refused ->
                events.failed(refused.stop().code(), refused.stop().message());
            case Outcome.Failed failed ->
                events.failed(failed.stop().code(), failed.stop().message());
        }
    }

    private void find(Context ctx) {
        String tenant = pipeline.authenticate(Credentials.of(ctx)).tenant();
        String id = ctx.pathParam("id");
        StoredResponse stored = responses
                .findResponse(tenant, id, clock.instant())
                .orElseThrow(() -> notFound(id, null).toException());
        Responses.write(ctx, 200, "application/json", stored.body());
    }

    private void delete(Context ctx) {
        String tenant = pipeline.authenticate(Credentials.of(ctx)).tenant();
        String id = ctx.pathParam("id");
        if (!responses.deleteResponse(tenant, id)) {
            throw notFound(id, null).toException();
        }
        Responses.ok(
                ctx,
                json.createObjectNode()
                        .put("id", id)
                        .put("object", "response.deleted")
                        .put("deleted", true));
    }

    /** Refuses a function's output that answers no call of the input or of the previous conversation. */
    private static void answersCalls(ResponsesReader.Call call, ArrayNode before) {
        Set<String> made = new HashSet<>();
        before.forEach(
                m -> m.path("tool_calls").forEach(c -> made.add(c.path("id").asText())));
        for (ResponsesReader.Unmatched u : call.unmatched()) {
            if (!made.contains(u.callId())) {
                throw ResponsesReader.dangling(u, true);
            }
        }
    }

    /** The conversation a stored response ended with, for a call that continues it. */
    private ArrayNode previous(String credentials, String id) {
        String tenant = pipeline.authenticate(credentials).tenant();
        StoredResponse stored = responses
                .findResponse(tenant, id, clock.instant())
                .orElseThrow(() -> notFound(id, "previous_response_id").toException());
        JsonNode conversation = parse(stored.conversation());
        return conversation.isArray() ? (ArrayNode) conversation : json.createArrayNode();
    }

    private static Stop notFound(String id, @Nullable String param) {
        return new Stop(
                "parse",
                404,
                "invalid_request_error",
                param == null ? "response_not_found" : "previous_response_not_found",
                "No response with id '" + Stop.echo(id)
                        + "' is stored for your tenant (it was never stored: store false or the"
                        + " model keeps no content; or it expired, was deleted, or its data subject was erased).",
                param);
    }

    /** Whether the model's retention keeps full content: a stored response is content, and lives no longer. */
    private boolean keepsContent(String model) {
        return catalog.find(ModelCatalog.baseName(model))
                .map(served -> served.spec().retention().content() == Retention.Form.FULL)
                .orElse(false);
    }

    /** Only an answer whose Decision is recorded and keeps its content is kept. */
    private static boolean storable(Decided<?> decided) {
        Content content = decided.decision().content();
        return decided.recorded() && content != null && content.state() == Content.State.KEPT;
    }

    private void save(
            ResponseBodies.Head head,
            Decision decision,
            Caller caller,
            ObjectNode body,
            ArrayNode conversation,
            ArrayNode output) {
        ArrayNode kept = conversation.deepCopy();
        kept.add(bodies.assistantMessage(output));
        Content content = Objects.requireNonNull(decision.content(), "storable");
        responses.saveResponse(new StoredResponse(
                head.id(),
                Objects.requireNonNull(decision.principal(), "an answered call has a principal")
                        .tenant(),
                decision.id(),
                head.model(),
                decision.startedAt(),
                content.keepUntil(),
                caller.subject(),
                body.toString(),
                kept.toString()));
    }

    private ChatRequest chatRequest(ResponsesReader.Call call, ArrayNode conversation) {
        List<ChatMessage> messages = new ArrayList<>();
        if (call.instructions() != null) {
            messages.add(ChatMessage.of("system", call.instructions()));
        }
        for (JsonNode message : conversation) {
            messages.add(chatMessage(message));
        }
        return new ChatRequest(call.model(), messages, call.options(), call.stream(), call.stream());
    }

    private static ChatMessage chatMessage(JsonNode message) {
        JsonNode content = message.path("content");
        String text;
        if (content.isTextual()) {
            text = content.asText();
        } else {
            StringBuilder joined = new StringBuilder();
            content.forEach(part -> {
                if ("text".equals(part.path("type").asText())) {
                    joined.append(joined.isEmpty() ? "" : "\n")
                            .append(part.path("text").asText());
                }
            });
            text = joined.toString();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fields =
                (Map<String, Object>) Objects.requireNonNull(JsonValues.valueOf(message), "an object maps to a map");
        return new ChatMessage(message.path("role").asText(), text, fields);
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            return json.createObjectNode();
        }
    }
}
