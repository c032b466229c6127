package dev.airlock.provider;

import java.time.Duration;

/** A provider of chat completions, e.g. an OpenAI-compatible HTTP API. */
public interface ChatProvider extends Provider {

    /**
     * Runs a chat completion to its end.
     *
     * @param upstreamModel the model name the provider knows
     * @throws ProviderException when the provider cannot answer
     */
    ChatResult complete(String upstreamModel, ChatRequest request);

    /**
     * Streams a chat completion, handing each chunk to {@code sink} as it arrives, and returns once the
     * stream has ended.
     *
     * @throws ProviderException when the provider cannot answer; {@link ProviderException#afterFirstChunk()}
     *     tells whether the caller has already seen part of the answer
     */
    StreamSummary stream(String upstreamModel, ChatRequest request, ChunkSink sink);

    /**
     * {@link #complete} within at most {@code timeout} (the caller's remaining deadline); providers that cannot bound
     * a call use their own timeout.
     */
    default ChatResult complete(String upstreamModel, ChatRequest request, Duration timeout) {
        return complete(upstreamModel, request);
    }

    /** {@link #stream} waiting at most {@code timeout} for the answer to start. */
    default StreamSummary stream(String upstreamModel, ChatRequest request, ChunkSink sink, Duration timeout) {
        return stream(upstreamModel, request, sink);
    }

    /**
     * {@link #stream} waiting at most {@code startWithin} for the answer to start, and cutting it off with a
     * {@link ProviderException.Kind#TIMEOUT} once {@code endWithin} has passed: the call's deadline bounds the whole
     * stream, however slowly the upstream drips. Providers that cannot bound a stream's end bound its start only.
     */
    default StreamSummary stream(
            String upstreamModel, ChatRequest request, ChunkSink sink, Duration startWithin, Duration endWithin) {
        return stream(upstreamModel, request, sink, startWithin);
    }
}
