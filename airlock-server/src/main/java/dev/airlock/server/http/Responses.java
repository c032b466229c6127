package dev.airlock.server.http;

import static dev.airlock.server.json.Json.bytes;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Bodies written straight to the response with their length, bypassing the framework's copy of the result. */
final class Responses {
    private Responses() {}

    /** Answers 200 with a JSON body. */
    static void ok(Context ctx, JsonNode body) {
        write(ctx, 200, "application/json", bytes(body));
    }

    static void write(Context ctx, int status, String contentType, byte[] body) {
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
    static final class CallerGone extends UncheckedIOException {
        CallerGone(IOException cause) {
            super("the caller closed the connection", cause);
        }
    }

    static void write(Context ctx, int status, String contentType, String body) {
        write(ctx, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }
}
