package dev.airlock.server.upstream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.decision.Usage;
import dev.airlock.provider.ChatChunk;
import dev.airlock.provider.ChunkSink;
import dev.airlock.provider.ProviderException;
import dev.airlock.provider.ProviderException.Kind;
import dev.airlock.provider.StreamSummary;
import org.jspecify.annotations.Nullable;

/**
 * Writes a native stream's events to the caller as OpenAI chat completion chunks, and keeps what the stream amounted
 * to (text, finish reason, usage) for the Decision. A dialect reads its protocol's events and calls the method for
 * each: {@link #text}, {@link #toolStart}, {@link #toolArguments}, {@link #finish}, {@link #usage}, then {@link #end}.
 */
final class ChunkWriter {
    private final String who;
    private final ChunkSink sink;
    private final boolean forwardUsage;
    private final long created;
    private final StringBuilder text = new StringBuilder();
    private String id;
    private String model;
    private @Nullable String finishReason;
    private Usage usage = Usage.NONE;
    private boolean opened;
    private boolean any;
    private int tools;

    /**
     * @param forwardUsage whether the caller asked for the final usage chunk
     */
    ChunkWriter(String who, String id, String model, long created, boolean forwardUsage, ChunkSink sink) {
        this.who = who;
        this.id = id;
        this.model = model;
        this.created = created;
        this.forwardUsage = forwardUsage;
        this.sink = sink;
    }

    /** The answer's id and model as the upstream named them, when it did (before the first chunk). */
    void named(@Nullable String upstreamId, @Nullable String upstreamModel) {
        if (upstreamId != null && !upstreamId.isBlank() && !opened) {
            id = "chatcmpl-" + upstreamId;
        }
        if (upstreamModel != null && !upstreamModel.isBlank()) {
            model = upstreamModel;
        }
    }

    /**
     * OpenAI's first chunk, naming the role, goes out with the first content rather than when the upstream opens its
     * turn: an upstream error right after the opening (Anthropic's overload) may then still be retried elsewhere.
     */
    private void open() {
        if (!opened) {
            opened = true;
            emit(OpenAiShape.object().put("role", "assistant").put("content", ""), null, "");
        }
    }

    void text(String delta) {
        if (delta.isEmpty()) {
            return;
        }
        open();
        text.append(delta);
        emit(OpenAiShape.object().put("content", delta), null, delta);
    }

    /** A function call begins; returns its index among the answer's tool calls. */
    int toolStart(String callId, String name) {
        open();
        int index = tools++;
        ObjectNode delta = OpenAiShape.object();
        ObjectNode call = delta.putArray("tool_calls")
                .addObject()
                .put("index", index)
                .put("id", callId)
                .put("type", "function");
        call.putObject("function").put("name", name).put("arguments", "");
        emit(delta, null, "");
        return index;
    }

    void toolArguments(int index, String partial) {
        if (partial.isEmpty()) {
            return;
        }
        ObjectNode delta = OpenAiShape.object();
        delta.putArray("tool_calls")
                .addObject()
                .put("index", index)
                .putObject("function")
                .put("arguments", partial);
        emit(delta, null, "");
    }

    /** Generation stopped, for OpenAI's {@code reason}. */
    void finish(String reason) {
        open();
        finishReason = reason;
        emit(OpenAiShape.object(), reason, "");
    }

    /** Usage as reported so far; a later report replaces it. */
    void usage(Usage reported) {
        usage = reported;
    }

    Usage usage() {
        return usage;
    }

    /** The text streamed so far. */
    String text() {
        return text.toString();
    }

    boolean finished() {
        return finishReason != null;
    }

    /** The stream ended as its protocol says a stream ends: the usage chunk if asked for, and the summary. */
    StreamSummary end() {
        if (forwardUsage) {
            sink.accept(new ChatChunk(
                    OpenAiShape.write(OpenAiShape.usageChunk(id, model, created, usage)), "", usage, true));
            any = true;
        }
        return new StreamSummary(text.toString(), finishReason, usage, model);
    }

    /** The upstream reported an error inside the stream; {@code status} is the HTTP status it stands for. */
    ProviderException failed(int status, String message) {
        return new ProviderException(
                Kind.STATUS, status, who + " ended the stream with an error: " + message, any, null);
    }

    /** The stream's connection ended before the protocol's end. */
    ProviderException cut() {
        return new ProviderException(Kind.UNREACHABLE, 0, who + " closed the stream before it finished", any, null);
    }

    /** An event that is not what the protocol promises. */
    ProviderException malformed(String what) {
        return new ProviderException(Kind.MALFORMED, 0, who + " returned " + what, any, null);
    }

    private void emit(ObjectNode delta, @Nullable String finish, String deltaText) {
        sink.accept(new ChatChunk(
                OpenAiShape.write(OpenAiShape.chunk(id, model, created, delta, finish)), deltaText, null, false));
        any = true;
    }
}
