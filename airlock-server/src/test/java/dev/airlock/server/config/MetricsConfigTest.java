package dev.airlock.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@code metrics.latency_buckets}: a dozen SLO-shaped bounds by default, any increasing list up to 40 when given. */
class MetricsConfigTest {
    private static final Path FILE = Path.of("airlock.yaml");

    private static AirlockConfig parse(String yaml) {
        return new ConfigLoader(name -> null).parse(FILE, yaml);
    }

    @Test
    void theDefaultBuckets_spanFiveMillisecondsToAMinute() {
        var buckets = parse("").metrics().latencyBuckets();

        assertThat(buckets).hasSize(13).first().isEqualTo(Duration.ofMillis(5));
        assertThat(buckets)
                .contains(Duration.ofMillis(100), Duration.ofMillis(2500))
                .last()
                .isEqualTo(Duration.ofMinutes(1));
        assertThat(AirlockConfig.builder().build().checked().metrics())
                .isEqualTo(parse("").metrics());
    }

    @Test
    void givenBuckets_replaceTheDefault() {
        assertThat(parse("metrics: {latency_buckets: [20ms, 200ms, 2s]}")
                        .metrics()
                        .latencyBuckets())
                .containsExactly(Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(2));
    }

    @Test
    void bucketsOutOfOrder_areRefused_namingTheBoundAndTheOneBefore() {
        assertThatThrownBy(() -> parse("metrics:\n  latency_buckets: [10ms, 250ms, 100ms]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("airlock.yaml:2")
                .hasMessageContaining("metrics.latency_buckets[2]: '100ms' does not exceed '250ms' before it;"
                        + " expected increasing bounds");
    }

    @Test
    void noBuckets_orTooMany_areRefused() {
        assertThatThrownBy(() -> parse("metrics: {latency_buckets: []}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("metrics.latency_buckets: 0 bounds given; expected 1 to 40");
        String many = String.join(
                ", ", IntStream.rangeClosed(1, 41).mapToObj(i -> i + "ms").toList());
        assertThatThrownBy(() -> parse("metrics: {latency_buckets: [" + many + "]}"))
                .hasMessageContaining("41 bounds given; expected 1 to 40");
    }

    @Test
    void aBucketThatIsNoDuration_isRefused() {
        assertThatThrownBy(() -> parse("metrics: {latency_buckets: [10ms, 2.5s]}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("metrics.latency_buckets")
                .hasMessageContaining("'2.5s' is not a duration");
    }
}
