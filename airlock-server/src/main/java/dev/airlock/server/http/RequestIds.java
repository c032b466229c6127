package dev.airlock.server.http;

import io.javalin.http.Context;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code x-request-id} on every response, the header OpenAI's SDKs read into {@code _request_id}: the Decision's id
 * when the call made a recorded Decision (so the id a client logs finds it under {@code GET /v1/decisions/{id}}), a
 * fresh {@code req_…} id otherwise (an unknown route, a refused key, an admin call).
 */
final class RequestIds {
    static final String HEADER = "x-request-id";

    private RequestIds() {}

    /** Gives the response a fresh id, until a Decision names it. */
    static void fresh(Context ctx) {
        ctx.header(HEADER, next());
    }

    /** The response is about this recorded Decision. */
    static void decision(Context ctx, String decisionId) {
        ctx.header(HEADER, decisionId);
    }

    /** 128 random bits: ids that no two responses share, without the cost of a secure generator. */
    static String next() {
        var random = ThreadLocalRandom.current();
        return "req_" + HexFormat.of().toHexDigits(random.nextLong())
                + HexFormat.of().toHexDigits(random.nextLong());
    }
}
