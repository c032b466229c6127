package dev.airlock.server.http;

import dev.airlock.decision.Stop;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

/** Reads request bodies up to a limit, refusing larger ones with 413 whether or not they declare a length. */
final class BodyLimit {
    private final long maxBytes;

    BodyLimit(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    byte[] read(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            drain(ctx, declared);
            throw tooLarge(declared);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            if (declared >= 0) {
                return in.readNBytes((int) declared);
            }
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (body.length > maxBytes) {
                throw tooLarge(-1);
            }
            return body;
        } catch (IOException e) {
            throw Stop.invalid("parse", null, "The request body could not be read: " + e.getMessage())
                    .toException();
        }
    }

    /**
     * Reads and discards a refused body that is not much larger than the limit, so that the client, still sending,
     * reads the 413 instead of a reset connection. Far larger bodies are not read; the connection closes.
     */
    private void drain(Context ctx, long declared) {
        long cap = Math.max(4 * maxBytes, 4L << 20);
        if (declared > cap) {
            ctx.header("Connection", "close");
            return;
        }
        try {
            ctx.req().getInputStream().skipNBytes(declared);
        } catch (IOException | RuntimeException e) {
            ctx.header("Connection", "close");
        }
    }

    private Stop.Stopped tooLarge(long declared) {
        String size = declared >= 0 ? declared + " bytes" : "more than " + maxBytes + " bytes";
        return new Stop(
                        "parse",
                        413,
                        "invalid_request_error",
                        "request_too_large",
                        "The request body is " + size + "; the limit is " + maxBytes
                                + " bytes (server.max_body_bytes).",
                        null)
                .toException();
    }
}
