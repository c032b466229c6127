package dev.airlock.server.http;

import dev.airlock.decision.Stop;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.BadMessageException;

/**
 * The one reader of request bodies. Every request's body is read here, before any route runs, up to
 * {@code server.max_body_bytes} whether it declares its length or is sent in chunks; a larger body is refused with 413
 * as soon as the limit is passed, without reading the rest. Routes take the bytes with {@link #bytes(Context)}.
 */
final class BodyLimit {
    private static final String BODY = "airlock.body";

    private final long maxBytes;

    BodyLimit(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The body read by {@link #readInto(Context)}. */
    static byte[] bytes(Context ctx) {
        byte[] body = ctx.attribute(BODY);
        if (body == null) {
            throw new IllegalStateException("the body of " + ctx.path() + " was not read at the edge");
        }
        return body;
    }

    /** Reads the body (empty when there is none) and keeps it for {@link #bytes(Context)}. */
    void readInto(Context ctx) {
        ctx.attribute(BODY, read(ctx));
    }

    private byte[] read(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            // a client that asked whether to send the body is told no before it sends it: reading would say 100
            if (!"100-continue".equalsIgnoreCase(ctx.header("Expect"))) {
                drain(ctx, declared);
            }
            throw tooLarge(ctx, declared);
        }
        try {
            InputStream in = ctx.req().getInputStream();
            if (declared >= 0) {
                byte[] body = in.readNBytes((int) declared);
                if (body.length < declared) {
                    throw endedEarly(declared, body.length);
                }
                return body;
            }
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (body.length > maxBytes) {
                throw tooLarge(ctx, -1);
            }
            return body;
        } catch (IOException e) {
            throw unreadable(e);
        } catch (BadMessageException e) {
            throw e.getCode() == 408 ? tooSlow() : unreadable(new IOException(e));
        }
    }

    private static Stop.Stopped tooSlow() {
        return new Stop(
                        "parse",
                        408,
                        "invalid_request_error",
                        "request_timeout",
                        "The request body arrived slower than " + HttpApi.MIN_BODY_BYTES_PER_SECOND
                                + " bytes a second; send it at once.",
                        null)
                .toException();
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

    private Stop.Stopped tooLarge(Context ctx, long declared) {
        // the rest of a chunked body is not read: the connection cannot carry another request
        ctx.header("Connection", "close");
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

    private static Stop.Stopped endedEarly(long declared, long received) {
        return Stop.invalid(
                        "parse",
                        null,
                        "The request body ended before its declared length: " + received + " of " + declared
                                + " bytes (Content-Length) arrived.")
                .toException();
    }

    /** The body stopped arriving: said in words, never with the name of the exception behind it. */
    private static Stop.Stopped unreadable(IOException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException) {
                return new Stop(
                                "parse",
                                408,
                                "invalid_request_error",
                                "request_timeout",
                                "The request body stopped arriving before it was complete; the server waited for"
                                        + " the rest until its idle timeout.",
                                null)
                        .toException();
            }
        }
        return Stop.invalid(
                        "parse",
                        null,
                        "The request body could not be read: it ended before it was complete (the client closed"
                                + " the connection or sent a malformed chunk).")
                .toException();
    }
}
