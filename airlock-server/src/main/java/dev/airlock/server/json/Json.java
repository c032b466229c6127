package dev.airlock.server.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** JSON on the request path: one mapper, and bodies written straight to the response. */
public final class Json {
    // built once: a mapper is costly to make and to warm, and safe to share once configured
    private static final ObjectMapper SHARED = mapper();

    private Json() {}

    /**
     * A mapper whose buffers are pooled across threads. Jackson's default pool is per thread, which on virtual
     * threads (one per request) means fresh buffers for every request.
     */
    public static ObjectMapper mapper() {
        return new ObjectMapper(JsonFactory.builder()
                .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
                .build());
    }

    /** Writes a complete body with its length, bypassing the framework's copy of the result. */
    /** A JSON tree as bytes; our own trees always serialise, so failure is a bug, not an input error. */
    public static byte[] bytes(JsonNode node) {
        try {
            return SHARED.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    /** Answers 200 with a JSON body. */
    public static void ok(Context ctx, JsonNode body) {
        write(ctx, 200, "application/json", bytes(body));
    }

    public static void write(Context ctx, int status, String contentType, byte[] body) {
        var response = ctx.res();
        response.setStatus(status);
        response.setContentType(contentType);
        response.setContentLength(body.length);
        try {
            response.getOutputStream().write(body);
        } catch (IOException e) {
            throw new CallerGone(e);
        }
    }

    /** The caller closed the connection before the answer was written: nobody is left to tell. */
    public static final class CallerGone extends UncheckedIOException {
        CallerGone(IOException cause) {
            super("the caller closed the connection", cause);
        }
    }

    public static void write(Context ctx, int status, String contentType, String body) {
        write(ctx, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }
}
