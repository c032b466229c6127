package dev.airlock.server;

import static dev.airlock.server.TestNode.APP_KEY;
import static dev.airlock.server.TestNode.AUDITOR_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Random requests against the whole HTTP surface, within a time budget: routes from the OpenAPI document the node
 * serves (plus the few it does not list), every method, odd headers, query strings, and bodies from a small grammar of
 * the API mixed with garbage, NUL escapes, truncation, deep nesting and bodies over the limit, sent raw. Whatever
 * arrives, the node answers in time, never with a 5xx, every error in Airlock's format for its path, and stays up.
 *
 * <p>The seed is fixed so a failure reproduces; {@code -Dairlock.fuzz.seed=N} explores others and
 * {@code -Dairlock.fuzz.seconds=S} changes the budget (default 40 s).
 */
class HttpFuzzTest extends NodeTest {
    private static final long SEED = Long.getLong("airlock.fuzz.seed", 20261204L);
    private static final Duration BUDGET = Duration.ofSeconds(Long.getLong("airlock.fuzz.seconds", 40));
    private static final Duration PER_REQUEST = Duration.ofSeconds(20);
    private static final List<String> UNLISTED =
            List.of("get /v1/audit/consistency", "get /v1/budgets", "get /v1/spend");
    private static final String[] KEYS = {
        APP_KEY,
        AUDITOR_KEY,
        "ak_admin1_admin-secret-0123456789abcdef",
        "ak_oper1_oper-secret-0123456789abcdef",
        "ak_review1_review-secret-0123456789abcdef",
        "ak_app1_wrong",
        "nonsense",
        "",
    };
    private static final String[] MODELS = {"assistant", "kept-assistant", "embed", "remote-embed", "loan-risk", "nope"
    };
    private static final String[] QUERY_NAMES = {
        "limit",
        "from",
        "to",
        "model",
        "outcome",
        "subject",
        "format",
        "version",
        "since",
        "status",
        "period",
        "group_by",
        "k",
        "x"
    };
    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"};

    private record Route(String method, String template) {}

    @Test
    void anyRequest_getsATimelyAnswerInAirlocksFormat_neverA5xx_andTheNodeStaysUp() {
        List<Route> routes = routes();
        Random random = new Random(SEED);
        long deadline = System.nanoTime() + BUDGET.toNanos();
        int sent = 0;
        while (System.nanoTime() < deadline) {
            Request request = request(random, routes.get(random.nextInt(routes.size())));
            RawHttp.Response response;
            try {
                response = RawHttp.exchange(
                        node.airlock.baseUrl(), request.head(), request.body(), PER_REQUEST, request.halfClose());
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError("seed " + SEED + ", request #" + sent + ": " + request.describe(), e);
            }
            check(request, response, sent);
            sent++;
        }
        assertThat(sent).as("requests sent within the budget").isGreaterThan(50);
        assertThat(node.get("/healthz", null).statusCode()).isEqualTo(200);
        assertThat(node.post(
                                "/v1/chat/completions",
                                APP_KEY,
                                "{\"model\":\"assistant\",\"messages\":[{\"role\":\"user\",\"content\":\"still there?\"}]}")
                        .statusCode())
                .isEqualTo(200);
    }

    private static void check(Request request, RawHttp.Response response, int n) {
        String where = "seed " + SEED + ", request #" + n + ": " + request.describe() + "\n -> " + response.status()
                + " " + response.headers() + " " + abbreviate(response.body());
        assertThat(response.status()).as(where).isBetween(100, 499);
        if (response.status() < 400 || request.method().equals("HEAD")) {
            return;
        }
        String contentType = String.valueOf(response.header("content-type"));
        JsonNode body;
        try {
            body = TestNode.JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("the error body is not JSON; " + where, e);
        }
        String text;
        if (isV1(request.path())) {
            assertThat(contentType).as(where).startsWith("application/json");
            JsonNode error = body.path("error");
            assertThat(error.path("message").asText()).as(where).isNotBlank();
            assertThat(error.path("type").asText()).as(where).isNotBlank();
            assertThat(error.path("code").asText()).as(where).isNotBlank();
            text = error.path("message").asText();
        } else {
            assertThat(contentType).as(where).startsWith("application/problem+json");
            assertThat(body.path("status").asInt()).as(where).isEqualTo(response.status());
            assertThat(body.path("title").asText()).as(where).isNotBlank();
            text = body.path("detail").asText();
        }
        assertThat(text)
                .as(where)
                .isNotBlank()
                .doesNotContain("Exception")
                .doesNotContain("java.")
                .doesNotContain("org.eclipse")
                .doesNotContain("\tat ");
    }

    /**
     * Whether errors take OpenAI's body: the OpenAI-compatible AI routes only (docs/api.md, Errors); every other route
     * answers problem+json.
     */
    private static boolean isV1(String path) {
        if (path == null) {
            return false;
        }
        if (List.of("/v1/chat/completions", "/v1/completions", "/v1/embeddings", "/v1/responses", "/v1/models")
                        .contains(path)
                || path.startsWith("/v1/responses/")) {
            return true;
        }
        if (!path.startsWith("/v1/models/")) {
            return false;
        }
        String rest = path.substring("/v1/models/".length());
        int slash = rest.indexOf('/');
        return !rest.isEmpty() && (slash < 0 || rest.substring(slash).equals("/predict"));
    }

    /** The route table as the node publishes it, and the routes it serves without listing them. */
    private static List<Route> routes() {
        JsonNode paths = TestNode.parse(node.get("/openapi.json", null).body()).path("paths");
        List<Route> routes = new ArrayList<>();
        paths.properties()
                .forEach(path -> path.getValue().properties().forEach(operation -> {
                    if (List.of("get", "post", "put", "delete").contains(operation.getKey())) {
                        routes.add(new Route(operation.getKey().toUpperCase(Locale.ROOT), path.getKey()));
                    }
                }));
        assertThat(routes).as("routes in /openapi.json").hasSizeGreaterThan(30);
        UNLISTED.forEach(r -> routes.add(new Route(r.split(" ")[0].toUpperCase(Locale.ROOT), r.split(" ")[1])));
        return routes;
    }

    // --- the generator

    private record Request(
            String method,
            String target,
            String path,
            String head,
            RawHttp.Body body,
            boolean halfClose,
            String shown) {
        String describe() {
            return shown;
        }
    }

    private static Request request(Random r, Route route) {
        String method = r.nextInt(10) == 0 ? pick(r, METHODS) : route.method();
        String path = fill(r, route.template());
        String target = path + query(r);
        if (r.nextInt(40) == 0) {
            target = pick(r, new String[] {
                "/v1/../x",
                "/../x",
                "//v1/models",
                "/v1/models/a%00b",
                "/v1/%zz",
                "/v1",
                "/v1/models/" + "a".repeat(5000),
                "/nothing",
                "/v1/chat/completions/"
            });
            path = EdgeErrorsPaths.pathOf(target);
        }
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n");
        head.append("Connection: close\r\n");
        if (r.nextInt(6) != 0) {
            String key = pick(r, KEYS);
            head.append(r.nextInt(8) == 0 ? "api-key: " + key : "Authorization: Bearer " + key)
                    .append("\r\n");
        }
        if (r.nextInt(3) != 0) {
            head.append("Content-Type: ")
                    .append(pick(r, new String[] {
                        "application/json",
                        "text/plain",
                        "application/json; charset=latin1",
                        "multipart/form-data; boundary=x",
                        "application/x-www-form-urlencoded"
                    }))
                    .append("\r\n");
        }
        oddHeaders(r, head);
        byte[] body = method.equals("GET") && r.nextInt(4) != 0 ? new byte[0] : body(r, route.template());
        boolean chunked = r.nextInt(5) == 0;
        boolean halfClose = false;
        RawHttp.Body sending;
        String shown;
        if (r.nextInt(30) == 0) {
            long size = 70_000L + r.nextInt(3_000_000);
            head.append("Transfer-Encoding: chunked\r\n");
            sending = RawHttp.chunked(size, 8192, new AtomicLong());
            shown = "<" + size + " bytes chunked>";
        } else if (r.nextInt(40) == 0) {
            head.append("Content-Length: ")
                    .append(body.length + 1 + r.nextInt(1000))
                    .append("\r\n");
            sending = out -> out.write(body);
            halfClose = true;
            shown = "<short of its Content-Length> " + abbreviate(new String(body, StandardCharsets.UTF_8));
        } else if (chunked) {
            head.append("Transfer-Encoding: chunked\r\n");
            Random sizes = new Random(r.nextLong());
            sending = out -> {
                int at = 0;
                while (at < body.length) {
                    int n = Math.min(body.length - at, 1 + sizes.nextInt(4096));
                    out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body, at, n);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    at += n;
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            };
            shown = "<chunked> " + abbreviate(new String(body, StandardCharsets.UTF_8));
        } else {
            head.append("Content-Length: ").append(body.length).append("\r\n");
            sending = body.length == 0 ? null : out -> out.write(body);
            shown = abbreviate(new String(body, StandardCharsets.UTF_8));
        }
        return new Request(
                method,
                target,
                path,
                head.toString(),
                sending,
                halfClose,
                head.toString().replace("\r\n", " | ") + " body " + shown);
    }

    private static void oddHeaders(Random r, StringBuilder head) {
        if (r.nextInt(5) == 0) {
            head.append("Airlock-Subject: ")
                    .append(pick(r, new String[] {"cust-1", "", " ", "x".repeat(300), "é😀", "a\tb", "%00"}))
                    .append("\r\n");
        }
        if (r.nextInt(8) == 0) {
            head.append("Airlock-Review-Callback: ")
                    .append(pick(r, new String[] {"http://127.0.0.1:1/cb", "ftp://x", "::::", "http://", "x y"}))
                    .append("\r\n");
        }
        if (r.nextInt(10) == 0) {
            head.append(pick(r, new String[] {
                        "Expect: 100-continue",
                        "Accept: text/html",
                        "Accept-Encoding: gzip",
                        "X-Forwarded-For: 1.2.3.4",
                        "Content-Encoding: gzip",
                        "Range: bytes=0-10",
                        "Cookie: a=b",
                        "X-Long: " + "l".repeat(2000),
                        "X-Unicode: \u00e9t\u00e9"
                    }))
                    .append("\r\n");
        }
        if (r.nextInt(60) == 0) {
            head.append("X-Huge: ").append("h".repeat(9000)).append("\r\n");
        }
        if (r.nextInt(60) == 0) {
            head.append("X-Nul: a\0b\r\n");
        }
    }

    private static String fill(Random r, String template) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int open = template.indexOf('{', at);
            if (open < 0) {
                return out.append(template.substring(at)).toString();
            }
            int close = template.indexOf('}', open);
            out.append(template, at, open);
            out.append(
                    switch (r.nextInt(8)) {
                        case 0 -> "x" + r.nextInt(1000);
                        case 1 -> "%F0%9F%98%80";
                        case 2 -> "a.b-c_d";
                        case 3 -> "rev_" + Long.toHexString(r.nextLong());
                        default -> pick(r, MODELS);
                    });
            at = close + 1;
        }
    }

    private static String query(Random r) {
        if (r.nextInt(3) == 0) {
            return "";
        }
        StringBuilder q = new StringBuilder("?");
        for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
            if (i > 0) {
                q.append('&');
            }
            q.append(pick(r, QUERY_NAMES)).append('=').append(pick(r, new String[] {
                "1",
                "0",
                "-5",
                "abc",
                "2.5",
                "99999999999999999999",
                "2026-11-30T00:00:00Z",
                "2026-11-01",
                "day",
                "month",
                "model",
                "jsonl",
                "pending",
                "7",
                "%00",
                "%zz",
                "",
                "a%20b",
                "%E2%82%AC",
                "1e3"
            }));
        }
        return q.toString();
    }

    /** A body for the route: usually one the API would accept, mutated; sometimes anything at all. */
    private static byte[] body(Random r, String template) {
        String valid = switch (template) {
            case "/v1/chat/completions" ->
                "{\"model\":\"" + pick(r, MODELS) + "\",\"messages\":[{\"role\":\""
                        + pick(r, new String[] {"user", "system", "assistant", "tool", "wizard"}) + "\",\"content\":"
                        + value(r, 0) + "}]"
                        + (r.nextBoolean() ? ",\"stream\":" + pick(r, new String[] {"true", "false", "\"yes\""}) : "")
                        + (r.nextInt(4) == 0 ? ",\"temperature\":" + value(r, 0) : "") + "}";
            case "/v1/embeddings" -> "{\"model\":\"" + pick(r, MODELS) + "\",\"input\":" + value(r, 0) + "}";
            case "/v1/models/{name}/predict" ->
                "{\"features\":{\"annual_income\":" + value(r, 0) + ",\"loan_amount\":" + value(r, 0) + "}}";
            case "/v1/documents" -> "{\"source\":\"wiki\",\"text\":" + value(r, 0) + "}";
            case "/v1/retrieve" -> "{\"query\":" + value(r, 0) + ",\"k\":" + value(r, 0) + "}";
            case "/v1/sources/{name}" ->
                "{\"trust\":" + pick(r, new String[] {"\"trusted\"", "\"blocked\"", "1"}) + "}";
            case "/v1/deployments/{model}/canary" -> "{\"version\":\"7\",\"share\":" + value(r, 0) + "}";
            case "/v1/readiness/{model}/waivers" ->
                "{\"check\":" + value(r, 0) + ",\"justification\":" + value(r, 0) + "}";
            default ->
                "{\"version\":" + value(r, 0) + ",\"reason\":" + value(r, 0) + ",\"comment\":" + value(r, 0)
                        + ",\"content\":" + value(r, 0) + "}";
        };
        return switch (r.nextInt(12)) {
            case 0 -> garbage(r);
            case 1 -> valid.substring(0, r.nextInt(valid.length())).getBytes(StandardCharsets.UTF_8);
            case 2 -> (valid + pick(r, new String[] {"xyz", "{}", " ]", "\u0000"})).getBytes(StandardCharsets.UTF_8);
            case 3 -> deep(r);
            case 4 -> valid.replaceFirst("\":", "\\\\u0000\":").getBytes(StandardCharsets.UTF_8);
            default -> valid.getBytes(StandardCharsets.UTF_8);
        };
    }

    private static String value(Random r, int depth) {
        return switch (r.nextInt(depth > 2 ? 9 : 12)) {
            case 0 -> "\"hello\"";
            case 1 -> "\"a\\u0000b\"";
            case 2 -> Integer.toString(r.nextInt(200) - 50);
            case 3 -> "3.9";
            case 4 -> "null";
            case 5 -> "true";
            case 6 -> "\"" + "w".repeat(r.nextInt(30_000)) + "\"";
            case 7 -> "1e400";
            case 8 -> "\"\\ud800\"";
            case 9 -> "[" + value(r, depth + 1) + "," + value(r, depth + 1) + "]";
            case 10 -> "{\"type\":\"text\",\"text\":" + value(r, depth + 1) + "}";
            default -> "[{\"type\":\"text\",\"text\":" + value(r, depth + 1) + "}]";
        };
    }

    private static byte[] garbage(Random r) {
        byte[] bytes = new byte[r.nextInt(2000)];
        r.nextBytes(bytes);
        return bytes;
    }

    private static byte[] deep(Random r) {
        int depth = 500 + r.nextInt(3000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"model\":\"assistant\",\"messages\":".getBytes(StandardCharsets.UTF_8));
        out.writeBytes("[".repeat(depth).getBytes(StandardCharsets.UTF_8));
        out.writeBytes("]".repeat(depth).getBytes(StandardCharsets.UTF_8));
        out.writeBytes("}".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static String pick(Random r, String[] options) {
        return options[r.nextInt(options.length)];
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…(" + text.length() + " chars)";
    }

    /** The path part of a request target, as the node reads it to choose the error format. */
    private static final class EdgeErrorsPaths {
        static String pathOf(String target) {
            int q = target.indexOf('?');
            return q < 0 ? target : target.substring(0, q);
        }
    }
}
