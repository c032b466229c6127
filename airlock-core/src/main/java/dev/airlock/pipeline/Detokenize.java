package dev.airlock.pipeline;

import dev.airlock.provider.AiAnswer;
import dev.airlock.provider.ChatResult;
import java.util.Map;

/** Puts tokenized personal data back into the answer the caller gets; the provider only ever saw placeholders. */
final class Detokenize {
    private Detokenize() {}

    static AiAnswer restore(AiAnswer answer, Map<String, String> tokens) {
        if (tokens.isEmpty() || !(answer instanceof ChatResult chat)) {
            return answer;
        }
        String body = chat.body();
        String text = chat.text();
        for (var e : tokens.entrySet()) {
            // the body is JSON: the value goes in escaped, as the inside of a JSON string
            body = body.replace(jsonEscaped(e.getKey()), jsonEscaped(e.getValue()));
            text = text.replace(e.getKey(), e.getValue());
        }
        return new ChatResult(body, text, chat.finishReason(), chat.usage(), chat.upstreamModel());
    }

    static String jsonEscaped(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
