package dev.airlock.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.decision.Stop;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Writes errors: OpenAI's error body on the OpenAI-compatible AI routes (so OpenAI clients raise their usual
 * exceptions) and RFC 9457 problem details on every other route ({@link #openAiPath}). Never a stack trace.
 */
final class Errors {
    static final String HANDLED = "airlock.error-written";
    /** The most of a request's path that {@code instance} repeats. */
    private static final int INSTANCE_CHARS = 200;

    private final ObjectMapper json;

    Errors(ObjectMapper json) {
        this.json = json;
    }

    /** An error body ready to send: its media type and bytes. */
    record Rendered(String contentType, byte[] body) {}

    /**
     * Whether errors on {@code path} take OpenAI's body: the OpenAI-compatible AI routes only ({@code
     * /v1/chat/completions}, {@code /v1/completions}, {@code /v1/responses…}, {@code /v1/embeddings}, {@code
     * /v1/models}, {@code /v1/models/{name}} and the model call {@code /v1/models/{name}/predict}), whose clients read
     * OpenAI's shape. Every other route (management and admin: deployments, decisions, labels, accuracy, incidents,
     * {@code /v1/admin/…}, …) answers RFC 9457 problem details. The rule is written down in docs/api.md.
     */
    static boolean openAiPath(@Nullable String path) {
        if (path == null) {
            return false;
        }
        return switch (path) {
            case "/v1/chat/completions", "/v1/completions", "/v1/embeddings", "/v1/responses", "/v1/models" -> true;
            default -> path.startsWith("/v1/responses/") || modelCall(path);
        };
    }

    /** {@code /v1/models/{name}} or {@code /v1/models/{name}/predict}. */
    private static boolean modelCall(String path) {
        if (!path.startsWith("/v1/models/")) {
            return false;
        }
        String rest = path.substring("/v1/models/".length());
        int slash = rest.indexOf('/');
        return !rest.isEmpty() && (slash < 0 || rest.substring(slash).equals("/predict"));
    }

    /**
     * The body of {@code stop} for a request to {@code path}: one renderer for every layer (routes, Javalin, Jetty), so
     * no error reaches a caller in another shape.
     */
    Rendered render(@Nullable String path, Stop stop) {
        if (openAiPath(path)) {
            return new Rendered("application/json", openAi(stop).getBytes(StandardCharsets.UTF_8));
        }
        return new Rendered("application/problem+json", problem(stop, path).getBytes(StandardCharsets.UTF_8));
    }

    void write(Context ctx, Stop stop) {
        ctx.attribute(HANDLED, Boolean.TRUE);
        if (ctx.res().getHeader(RequestIds.HEADER) == null) {
            RequestIds.fresh(ctx); // an error raised before any handler of ours ran (Jetty's edge)
        }
        if (stop.status() == 401) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"airlock\"");
        }
        if (stop.retryAfter() != null) {
            // whole seconds, rounded up: a client that waits this long will not be refused for being early
            long millis = stop.retryAfter().toMillis();
            ctx.header("Retry-After", Long.toString(Math.max(1, (millis + 999) / 1000)));
        }
        try {
            Rendered rendered = render(ctx.path(), stop);
            Responses.write(ctx, stop.status(), rendered.contentType(), rendered.body());
        } catch (Responses.CallerGone | IllegalStateException gone) {
            // the caller left, or the response was already committed: there is no one to write the error to
        }
    }

    /** OpenAI's shape: {@code {"error": {"message", "type", "param", "code"}}}. */
    String openAi(Stop stop) {
        ObjectNode root = json.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", stop.message());
        error.put("type", stop.type());
        error.put("param", stop.param());
        error.put("code", stop.code());
        return root.toString();
    }

    private String problem(Stop stop, @Nullable String path) {
        ObjectNode root = json.createObjectNode();
        root.put("type", "https://airlock.dev/problems/" + stop.code().replace('_', '-'));
        root.put("title", titleOf(stop.status()));
        root.put("status", stop.status());
        root.put("detail", stop.message());
        if (path != null) {
            root.put("instance", Stop.echo(path, INSTANCE_CHARS)); // a path is a caller's value too
        }
        root.put("code", stop.code());
        if (stop.param() != null) {
            root.put("param", stop.param());
        }
        return root.toString();
    }

    static String titleOf(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> status >= 500 ? "Server Error" : "Client Error";
        };
    }

    static Stop stop(int status, String code, String message) {
        String type = switch (status) {
            case 400, 401, 403, 404, 405, 408, 409, 410, 413, 414, 415, 422, 431 -> "invalid_request_error";
            case 429 -> "rate_limit_error";
            default -> "api_error";
        };
        return new Stop("http", status, type, code, message, null);
    }
}
