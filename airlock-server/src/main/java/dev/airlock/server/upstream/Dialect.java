package dev.airlock.server.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.server.upstream.OpenAiShape.Reply;
import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;

/**
 * One native chat protocol: where a request goes, how an OpenAI-shaped request is written in it, and how its answers,
 * streams and errors read back in OpenAI's shape. {@link NativeChatProvider} does the HTTP around it.
 */
interface Dialect {
    /** The path under the base URL, query included when the protocol needs one. */
    String path(String upstreamModel, boolean stream);

    /** The request body, as a JSON tree. */
    JsonNode body(String upstreamModel, Conversation conversation, boolean stream);

    /**
     * Reads a whole answer.
     *
     * @throws IllegalArgumentException naming what is missing when the body is not what the protocol promises
     */
    Reply reply(JsonNode answer, String upstreamModel);

    /**
     * Reads a stream to its protocol's end, writing each event to {@code out}; returns when the stream ended as the
     * protocol says it ends, throws {@link ChunkWriter#cut()} when the connection ended first and {@link
     * ChunkWriter#failed} for an error event.
     */
    void relay(InputStream in, ChunkWriter out) throws IOException;

    /**
     * An error answer in words: the protocol's error type and message.
     *
     * @param errorType AWS's {@code x-amzn-ErrorType} header, or null
     */
    String describeError(int status, byte[] body, @Nullable String errorType);
}
