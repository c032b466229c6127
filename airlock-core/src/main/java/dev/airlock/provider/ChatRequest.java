package dev.airlock.provider;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A chat completion request, OpenAI style.
 *
 * @param model the model name the caller asked for
 * @param messages the conversation
 * @param options every other top-level field of the request (temperature, tools, response_format, ...),
 *     passed on to the upstream as received
 * @param stream whether the caller wants server-sent events
 * @param includeUsage whether the caller asked for a final usage chunk in the stream
 */
public record ChatRequest(
        String model, List<ChatMessage> messages, Map<String, Object> options, boolean stream, boolean includeUsage)
        implements AiRequest {
    public ChatRequest {
        messages = List.copyOf(messages);
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }
}
