package dev.airlock.server.http;

import dev.airlock.provider.ChatChunk;
import dev.airlock.provider.ChunkSink;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Writes a streamed answer as server-sent events, flushing each chunk as it arrives. The response starts (status
 * 200, headers) with the first chunk, so a failure before it can still be answered with an ordinary error.
 */
final class SseSink implements ChunkSink {
    private final HttpServletResponse response;
    private @Nullable String decisionId;
    private @Nullable OutputStream out;
    private boolean decided;
    private boolean gone;

    SseSink(HttpServletResponse response) {
        this.response = response;
    }

    @Override
    public void opened(String id) {
        this.decisionId = id;
    }

    @Override
    public void accept(ChatChunk chunk) {
        write("data: " + chunk.json() + "\n\n");
    }

    /** Writes one named event: the Responses API names each event by its type. */
    void event(String name, String dataJson) {
        write("event: " + name + "\ndata: " + dataJson + "\n\n");
    }

    /**
     * The call's Decision is recorded: from now on a caller that has gone is no error (what remains to write is the
     * stream's tail, and storing what the Decision says must not depend on it).
     */
    void decided() {
        this.decided = true;
    }

    boolean started() {
        return out != null;
    }

    /** Ends a complete stream the way OpenAI does. */
    void done() {
        write("data: [DONE]\n\n");
    }

    /** Ends a broken stream with an error event that OpenAI clients raise as an error; no [DONE] follows. */
    void fail(String openAiErrorJson) {
        try {
            write("data: " + openAiErrorJson + "\n\n");
        } catch (UncheckedIOException ignored) {
            // the caller is gone too; the Decision already says how the stream ended
        }
    }

    private void write(String event) {
        if (gone) {
            return;
        }
        try {
            if (out == null) {
                start();
            }
            OutputStream out = Objects.requireNonNull(this.out, "start() opened it");
            out.write(event.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            gone = true;
            if (decided) {
                return;
            }
            throw new UncheckedIOException("the caller closed the stream", e);
        }
    }

    private void start() throws IOException {
        response.setStatus(200);
        response.setContentType("text/event-stream; charset=utf-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no");
        if (decisionId != null) {
            response.setHeader(OpenAiRoutes.DECISION_HEADER, decisionId);
            response.setHeader(RequestIds.HEADER, decisionId);
        }
        out = response.getOutputStream();
    }
}
