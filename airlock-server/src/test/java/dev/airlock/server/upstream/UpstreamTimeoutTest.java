package dev.airlock.server.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.provider.ChatMessage;
import dev.airlock.provider.ChatRequest;
import dev.airlock.provider.EmbeddingRequest;
import dev.airlock.provider.ProviderException;
import dev.airlock.testkit.FakeOpenAi;
import dev.airlock.testkit.FakeOpenAi.Behaviour;
import dev.airlock.time.FakeTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The configured timeout is the one that applies to a call, over real HTTP against a slow local upstream, whatever
 * the HTTP client's own defaults are. The client's idle default (Jetty's is 30 s) is shortened here to 300 ms so
 * that a call outliving it takes a second, not half a minute.
 */
class UpstreamTimeoutTest {
    private static final Duration CLIENT_IDLE_DEFAULT = Duration.ofMillis(300);

    private FakeOpenAi upstream;

    @BeforeEach
    void start() {
        upstream = FakeOpenAi.start();
    }

    @AfterEach
    void stop() {
        upstream.close();
    }

    private OpenAiHttpProvider provider(Duration timeout) {
        return new OpenAiHttpProvider(
                "slow",
                upstream.baseUrl(),
                null,
                Map.of(),
                Map.of(),
                timeout,
                Duration.ofSeconds(2),
                CLIENT_IDLE_DEFAULT);
    }

    @Test
    void aRetryAfterGivenAsADate_isCountedFromTheProvidersClock() {
        String body = "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\"}}";
        upstream.always(new Behaviour(
                429, body, 0, -1, false, 0, "Thu, 01 Jan 2026 00:00:30 GMT", false, true, 0, 0, 0, false));
        var fake = new FakeTime(Instant.parse("2026-01-01T00:00:00Z"));
        fake.advance(Duration.ofMillis(12_250));
        try (var provider = new OpenAiHttpProvider(
                "limited",
                upstream.baseUrl(),
                null,
                Map.of(),
                Map.of(),
                Duration.ofSeconds(5),
                Duration.ofSeconds(2),
                CLIENT_IDLE_DEFAULT,
                fake.time().clock())) {
            assertThatThrownBy(() -> provider.complete("gpt", question(), Duration.ofSeconds(5)))
                    .isInstanceOfSatisfying(
                            ProviderException.class,
                            e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(17_750)));
        }
    }

    private static ChatRequest question() {
        return new ChatRequest(
                "m", List.of(ChatMessage.of("user", "how are the markets today")), Map.of(), false, false);
    }

    @Test
    void anAnswerSlowerThanTheClientsIdleDefault_arrivesWithinTheConfiguredTimeout() {
        upstream.always(Behaviour.delayed(1_000));
        try (var provider = provider(Duration.ofSeconds(5))) {
            var answer = provider.complete("gpt-slow", question(), Duration.ofSeconds(10));

            assertThat(answer.text()).isEqualTo("echo: how are the markets today");
        }
    }

    @Test
    void anEmbeddingSlowerThanTheClientsIdleDefault_arrivesWithinTheConfiguredTimeout() {
        upstream.always(Behaviour.delayed(1_000));
        try (var provider = provider(Duration.ofSeconds(5))) {
            var answer = provider.embed("embed-slow", new EmbeddingRequest("m", List.of("hi"), Map.of()), null);

            assertThat(answer.vectors()).hasSize(1);
        }
    }

    @Test
    void whenTheProvidersTimeoutFires_theErrorNamesIt() {
        upstream.always(Behaviour.delayed(5_000));
        try (var provider = provider(Duration.ofMillis(700))) {
            long start = System.nanoTime();

            assertThatThrownBy(() -> provider.complete("gpt-slow", question(), Duration.ofSeconds(10)))
                    .isInstanceOfSatisfying(
                            ProviderException.class,
                            e -> assertThat(e.kind()).isEqualTo(ProviderException.Kind.TIMEOUT))
                    .hasMessageContaining("its timeout of 700 ms (providers.slow.timeout)");
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("the configured 700 ms, not the client's 300 ms idle default")
                    .isBetween(Duration.ofMillis(650), Duration.ofMillis(3_000));
        }
    }

    @Test
    void whenTheCallersLimitIsNearer_itApplies_andTheErrorSaysSo() {
        upstream.always(Behaviour.delayed(5_000));
        try (var provider = provider(Duration.ofSeconds(30))) {
            assertThatThrownBy(() -> provider.complete("gpt-slow", question(), Duration.ofMillis(400)))
                    .isInstanceOf(ProviderException.class)
                    .hasMessageContaining("the 400 ms the call allowed it");
        }
    }
}
