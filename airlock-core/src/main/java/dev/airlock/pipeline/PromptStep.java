package dev.airlock.pipeline;

import dev.airlock.decision.Stop;
import dev.airlock.provider.AiRequest;
import dev.airlock.provider.ChatMessage;
import dev.airlock.provider.ChatRequest;
import dev.airlock.registry.PromptTemplate;
import dev.airlock.registry.ServedModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Part of resolve: renders the versioned prompt a chat call uses — the one it names ({@code "prompt": {"id", "version"
 * or label, "variables"}}, as in OpenAI's Responses API) or else the one its model version declares — as a system
 * message before the caller's messages. The {@code prompt} field never reaches the provider; the Decision notes the
 * exact prompt version.
 */
final class PromptStep {
    static final String NOTE = "prompt";

    private final PromptTemplate.Catalog catalog;

    PromptStep(PromptTemplate.Catalog catalog) {
        this.catalog = catalog;
    }

    AiRequest prepare(DecisionDraft draft, ServedModel served, AiRequest request) {
        if (!(request instanceof ChatRequest chat)) {
            return request;
        }
        Object asked = chat.options().get("prompt");
        String ref = served.info().prompt();
        if (asked == null && ref == null) {
            return request;
        }
        Map<String, ?> variables = Map.of();
        if (asked != null) {
            if (!(asked instanceof Map<?, ?> fields)) {
                throw invalid("prompt", "'prompt' must be an object: {\"id\", \"version\", \"variables\"}");
            }
            Object id = fields.get("id");
            Object version = fields.get("version");
            if (id != null) {
                if (!(id instanceof String name) || name.isBlank() || name.contains("@")) {
                    throw invalid("prompt.id", "'prompt.id' must be the name of a prompt");
                }
                if (version != null && !(version instanceof String)) {
                    throw invalid("prompt.version", "'prompt.version' must be a version or label, as a string");
                }
                ref = version == null ? name : name + "@" + version;
            } else if (ref == null) {
                throw invalid(
                        "prompt.id",
                        "model '" + served.spec().name() + "' version "
                                + served.spec().version() + " has no prompt of its own; name one with 'prompt.id'");
            }
            Object given = fields.get("variables");
            if (given != null && !(given instanceof Map<?, ?>)) {
                throw invalid("prompt.variables", "'prompt.variables' must be an object of name: value");
            }
            variables = given == null ? Map.of() : cast(given);
        }
        String wanted = ref;
        PromptTemplate prompt = catalog.find(Objects.requireNonNull(ref, "the request or the model names a prompt"))
                .orElseThrow(() -> new Stop(
                                Resolve.STAGE,
                                404,
                                "invalid_request_error",
                                "prompt_not_found",
                                "There is no prompt '" + Stop.echo(wanted) + "'.",
                                "prompt.id")
                        .toException());
        String text;
        try {
            text = prompt.render(variables);
        } catch (PromptTemplate.RenderException e) {
            throw new Stop(
                            Resolve.STAGE,
                            400,
                            "invalid_request_error",
                            "invalid_prompt_variables",
                            Objects.requireNonNullElse(e.getMessage(), "invalid prompt variable"),
                            "prompt.variables." + e.variable())
                    .toException();
        }
        draft.note(Resolve.STAGE, NOTE, prompt.ref());
        variables.values().forEach(v -> {
            if (v instanceof String value && !value.isBlank()) {
                draft.untrusted(value); // the caller wrote it, and it lands in the system message
            }
        });
        List<ChatMessage> messages = new ArrayList<>(chat.messages().size() + 1);
        messages.add(ChatMessage.of("system", text));
        messages.addAll(chat.messages());
        Map<String, Object> options = new LinkedHashMap<>(chat.options());
        options.remove("prompt");
        return new ChatRequest(chat.model(), messages, options, chat.stream(), chat.includeUsage());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> cast(Object map) {
        return (Map<String, ?>) map;
    }

    private static Stop.Stopped invalid(String param, String message) {
        return Stop.invalid(Resolve.STAGE, param, message).toException();
    }
}
