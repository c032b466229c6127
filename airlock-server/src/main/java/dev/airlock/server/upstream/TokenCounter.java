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
 *
 * <p>The encoding (a 3.6 MB vocabulary, about 30 MB of heap once read) is read on the first count, not when a provider
 * is built: most upstreams report usage, so a node often never needs it, and reading it cost a second of every start.
 */
final class TokenCounter {
    private static final TokenCounter SHARED = new TokenCounter();
    private static final int PER_MESSAGE = 3;
    private static final int REPLY_PRIMER = 3;

    private TokenCounter() {}

    /** Read on first use; the lazy registry reads only this encoding, not all four it knows. */
    private static final class O200k {
        static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
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
        return text == null || text.isEmpty() ? 0 : O200k.ENCODING.countTokensOrdinary(text);
    }
}
