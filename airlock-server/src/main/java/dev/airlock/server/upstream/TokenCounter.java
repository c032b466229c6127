package dev.airlock.server.upstream;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.airlock.decision.Usage;
import dev.airlock.provider.ChatMessage;
import dev.airlock.provider.ChatRequest;

/**
 * Counts tokens when an upstream does not report usage (some local servers, some streams), with OpenAI's o200k_base
 * encoding and its chat framing (about 3 tokens per message plus 3 to prime the reply). For other model families it
 * is an estimate; upstream-reported usage always wins.
 */
final class TokenCounter {
    private static final TokenCounter SHARED =
            new TokenCounter(Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE));
    private static final int PER_MESSAGE = 3;
    private static final int REPLY_PRIMER = 3;

    private final Encoding encoding;

    private TokenCounter(Encoding encoding) {
        this.encoding = encoding;
    }

    static TokenCounter shared() {
        return SHARED;
    }

    Usage count(ChatRequest request, String answer) {
        long in = REPLY_PRIMER;
        for (ChatMessage m : request.messages()) {
            in += PER_MESSAGE + count(m.role()) + count(m.text());
        }
        return new Usage(in, count(answer));
    }

    int count(String text) {
        return text == null || text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
    }
}
