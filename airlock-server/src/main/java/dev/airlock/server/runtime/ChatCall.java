package dev.airlock.server.runtime;

import dev.airlock.provider.ChatMessage;
import dev.airlock.provider.ChatRequest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A chat completion an application asks for in-process: the same request as {@code POST /v1/chat/completions}.
 *
 * <pre>{@code
 * ChatCall call = ChatCall.user("assistant", "Summarise this application.").withOption("temperature", 0);
 * }</pre>
 *
 * @param model the model name (an alias, or {@code name@version} to pin a version)
 * @param messages the conversation, at least one message
 * @param options every other field of OpenAI's request (temperature, tools, response_format, ...), passed to the
 *     upstream as given
 */
public record ChatCall(String model, List<ChatMessage> messages, Map<String, Object> options) {
    public ChatCall {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model: expected a model name, got " + quoted(model));
        }
        if (messages == null || messages.isEmpty()) {
            throw new IllegalArgumentException("messages: expected at least one message, got " + messages);
        }
        messages = List.copyOf(messages);
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** One user message to {@code model}. */
    public static ChatCall user(String model, String text) {
        return new ChatCall(model, List.of(ChatMessage.of("user", text)), Map.of());
    }

    /** The same call with one more request field, e.g. {@code temperature}. */
    public ChatCall withOption(String name, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(options);
        more.put(name, value);
        return new ChatCall(model, messages, more);
    }

    ChatRequest request(boolean stream) {
        return new ChatRequest(model, messages, options, stream, false);
    }

    private static String quoted(String value) {
        return value == null ? "nothing" : "'" + value + "'";
    }
}
