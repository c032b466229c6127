package dev.airlock.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.server.json.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * A running node's HTTP API, for commands that act through a node ({@code --url}, {@code --key}). A problem the node
 * answers (problem+json) is shown as its detail; a node that does not answer is named with its URL.
 */
final class NodeClient {
    private static final ObjectMapper JSON = Json.mapper();

    @Option(
            names = "--url",
            paramLabel = "URL",
            description = "The node's base URL. Default: $AIRLOCK_URL, else http://127.0.0.1:8080.")
    String url;

    @Option(
            names = "--key",
            paramLabel = "KEY",
            description = "The API key to act with. Default: $AIRLOCK_API_KEY, else $AIRLOCK_ADMIN_KEY.")
    String key;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    JsonNode get(String path) throws IOException, InterruptedException {
        return send(request(path).timeout(Duration.ofSeconds(30)).GET().build());
    }

    JsonNode post(String path, JsonNode body) throws IOException, InterruptedException {
        return send(request(path)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build());
    }

    /** The lines of a server-sent event stream; close it to stop following. */
    Stream<String> stream(String path) throws IOException, InterruptedException {
        HttpResponse<Stream<String>> response = call(
                request(path).header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() / 100 != 2) {
            String body;
            try (Stream<String> lines = response.body()) {
                body = lines.collect(Collectors.joining("\n"));
            }
            throw problem(response.statusCode(), body);
        }
        return response.body();
    }

    private JsonNode send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = call(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw problem(response.statusCode(), response.body());
        }
        return JSON.readTree(response.body());
    }

    private <T> HttpResponse<T> call(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        try {
            return http.send(request, handler);
        } catch (ConnectException e) {
            throw new IllegalArgumentException("no Airlock node answers at " + base()
                    + "; start one (airlock serve) or pass --url (or set AIRLOCK_URL)");
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", "Bearer " + apiKey());
    }

    private String base() {
        String given = url != null ? url : System.getenv("AIRLOCK_URL");
        String base = given == null || given.isBlank() ? "http://127.0.0.1:8080" : given;
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private String apiKey() {
        for (String candidate :
                new String[] {key, System.getenv("AIRLOCK_API_KEY"), System.getenv("AIRLOCK_ADMIN_KEY")}) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("an API key is needed: pass --key KEY or set AIRLOCK_API_KEY (the key"
                + " printed at the first start, or one made with 'airlock keys create')");
    }

    /** What the node said was wrong: a problem's detail (with the field it names), else the status and body. */
    private static IllegalArgumentException problem(int status, String body) {
        String detail;
        try {
            JsonNode problem = JSON.readTree(body);
            detail = problem.path("detail").asText(problem.path("title").asText(body));
        } catch (IOException e) {
            detail = body;
        }
        return new IllegalArgumentException("the node answered " + status + ": " + detail);
    }
}
