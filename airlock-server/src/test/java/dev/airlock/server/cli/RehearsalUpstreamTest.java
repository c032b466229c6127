package dev.airlock.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class RehearsalUpstreamTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void answering_echoesTheLastUserMessage_withUsageCountedInWords() throws Exception {
        try (RehearsalUpstream upstream = RehearsalUpstream.answering(Duration.ZERO)) {
            HttpResponse<String> response = post(
                    upstream.baseUrl() + "/chat/completions",
                    "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},"
                            + "{\"role\":\"user\",\"content\":\"hello there\"}]}");

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode body = JSON.readTree(response.body());
            assertThat(body.at("/choices/0/message/content").asText()).isEqualTo("echo: hello there");
            assertThat(body.at("/usage/prompt_tokens").asInt()).isEqualTo(4);
            assertThat(body.at("/usage/completion_tokens").asInt()).isEqualTo(3);
        }
    }

    @Test
    void answering_embedsEachInputAsAUnitVector() throws Exception {
        try (RehearsalUpstream upstream = RehearsalUpstream.answering(Duration.ZERO)) {
            HttpResponse<String> response =
                    post(upstream.baseUrl() + "/embeddings", "{\"model\":\"e\",\"input\":[\"a\",\"b c\"]}");

            JsonNode data = JSON.readTree(response.body()).path("data");
            assertThat(data).hasSize(2);
            double norm = 0;
            for (JsonNode v : data.get(1).path("embedding")) {
                norm += v.asDouble() * v.asDouble();
            }
            assertThat(norm).isCloseTo(1.0, Offset.offset(1e-5));
        }
    }

    @Test
    void failing_answersEveryCallWithTheStatusAndAnOpenAiStyleError() throws Exception {
        try (RehearsalUpstream upstream = RehearsalUpstream.failing(503, "drill: primary down")) {
            HttpResponse<String> response = post(upstream.baseUrl() + "/chat/completions", "{\"messages\":[]}");

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(response.body()).at("/error/message").asText())
                    .isEqualTo("drill: primary down");
        }
    }

    private HttpResponse<String> post(String url, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
