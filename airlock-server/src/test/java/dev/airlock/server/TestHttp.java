package dev.airlock.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP against a node under test: requests with a key, the Decision behind an answer, the metrics. */
final class TestHttp {
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private TestHttp() {}

    static HttpRequest.Builder request(String baseUrl, String path, String key) {
        var builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        return key == null ? builder : builder.header("Authorization", "Bearer " + key);
    }

    static HttpResponse<String> post(String baseUrl, String path, String key, String body) {
        return send(request(baseUrl, path, key)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    static HttpResponse<String> get(String baseUrl, String path, String key) {
        return send(request(baseUrl, path, key).GET().build());
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The recorded Decision of an answer, read with an auditor's key. */
    static JsonNode decisionOf(String baseUrl, HttpResponse<String> response, String auditorKey) {
        String id = response.headers().firstValue("x-airlock-decision-id").orElseThrow();
        return TestNode.parse(get(baseUrl, "/v1/decisions/" + id, auditorKey).body());
    }

    static String metrics(String baseUrl) {
        return get(baseUrl, "/metrics", null).body();
    }
}
