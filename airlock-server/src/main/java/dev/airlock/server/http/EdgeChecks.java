package dev.airlock.server.http;

import dev.airlock.decision.Stop;
import io.javalin.http.Context;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What every request passes before any route runs: no U+0000 in a header value, the path or the query string (keys
 * and values), and a query string that decodes. A store cannot hold NUL in text (PostgreSQL refuses it), so it is
 * refused here, naming where it was, and both stores see the same requests.
 */
final class EdgeChecks {
    private static final Pattern BAD_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");

    private EdgeChecks() {}

    static void check(Context ctx) {
        for (String name : Collections.list(ctx.req().getHeaderNames())) {
            for (String value : Collections.list(ctx.req().getHeaders(name))) {
                if (value.indexOf('\0') >= 0) {
                    throw JsonBody.unstorable("read", name);
                }
            }
        }
        String path = ctx.path();
        if (path.indexOf('\0') >= 0 || path.toLowerCase(Locale.ROOT).contains("%00")) {
            throw JsonBody.unstorable("read", "path");
        }
        Map<String, List<String>> query;
        try {
            String raw = ctx.queryString();
            if (raw != null && BAD_ESCAPE.matcher(raw).find()) {
                throw new IllegalArgumentException("a % not followed by two hex digits");
            }
            query = ctx.queryParamMap();
        } catch (RuntimeException e) {
            throw Stop.invalid(
                            "read",
                            "query",
                            "The query string is not valid URL encoding; encode '%' as %25 and use %XX with two hex"
                                    + " digits.")
                    .toException();
        }
        query.forEach((name, values) -> {
            if (!JsonBody.storable(name)) {
                throw JsonBody.unstorable("read", JsonBody.shown(name));
            }
            for (String value : values) {
                if (!JsonBody.storable(value)) {
                    throw JsonBody.unstorable("read", name);
                }
            }
        });
    }
}
