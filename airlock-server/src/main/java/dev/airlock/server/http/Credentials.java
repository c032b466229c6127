package dev.airlock.server.http;

import io.javalin.http.Context;

/** Finds the API key a request presents: {@code Authorization: Bearer <key>}, or Azure's {@code api-key} header. */
final class Credentials {
    private Credentials() {}

    static String of(Context ctx) {
        String authorization = ctx.header("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).strip();
        }
        return ctx.header("api-key");
    }
}
