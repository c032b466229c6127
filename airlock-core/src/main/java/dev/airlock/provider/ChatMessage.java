package dev.airlock.provider;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One message of a chat conversation.
 *
 * @param role system, user, assistant, tool or developer
 * @param text the message's text (text parts joined with newlines when the content was an array)
 * @param fields every field of the message as received, passed on to the upstream unchanged except
 *     where a stage rewrote {@code text}
 */
public record ChatMessage(String role, String text, Map<String, Object> fields) {
    public ChatMessage {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public static ChatMessage of(String role, String text) {
        return new ChatMessage(role, text, Map.of("role", role, "content", text));
    }
}
