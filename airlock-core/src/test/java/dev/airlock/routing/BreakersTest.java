package dev.airlock.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.provider.ChatProvider;
import dev.airlock.provider.ChatRequest;
import dev.airlock.provider.ChatResult;
import dev.airlock.provider.ChunkSink;
import dev.airlock.provider.StreamSummary;
import dev.airlock.time.FakeTime;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A provider's circuit breaker on fake time: when it opens, how long it stays open, when it lets probes through. */
class BreakersTest {
    private static final BreakerPolicy POLICY = new BreakerPolicy(50, 4, 4, Duration.ofSeconds(30), 2);

    private final FakeTime time = new FakeTime();
    private final Breakers breakers = new Breakers(Map.of("p", POLICY), null, time.ticker());
    private final Target target = Target.of("p", new Unused(), "up");

    private void calls(CircuitBreaker breaker, boolean... failed) {
        for (boolean f : failed) {
            assertThat(Breakers.admits(breaker)).isTrue();
            Breakers.record(breaker, 1_000_000, f ? new RuntimeException("upstream failed") : null);
        }
    }

    @Test
    void opensOnceTheMinimumCallsFailAtTheThresholdRate_notBefore() {
        CircuitBreaker breaker = breakers.of(target);

        calls(breaker, true, false, true);
        assertThat(breakers.state(target)).as("3 calls: below the minimum of 4").isEqualTo("closed");
        calls(breaker, false);
        assertThat(breakers.state(target))
                .as("2 of 4 failed is 50%, the threshold")
                .isEqualTo("open");
        assertThat(Breakers.admits(breaker)).isFalse();
    }

    @Test
    void staysOpenForExactlyItsWait_thenLetsTheProbesThrough_andClosesWhenTheySucceed() {
        CircuitBreaker breaker = breakers.of(target);
        calls(breaker, true, true, true, true);

        time.advance(Duration.ofSeconds(30));
        assertThat(Breakers.admits(breaker)).as("at 30 s exactly, still open").isFalse();
        time.advance(Duration.ofNanos(1));
        assertThat(Breakers.admits(breaker)).as("past 30 s, the first probe").isTrue();
        assertThat(breakers.state(target)).isEqualTo("half_open");
        assertThat(Breakers.admits(breaker)).as("the second probe").isTrue();
        assertThat(Breakers.admits(breaker)).as("no third call while probing").isFalse();
        Breakers.record(breaker, 1_000_000, null);
        Breakers.record(breaker, 1_000_000, null);

        assertThat(breakers.state(target)).isEqualTo("closed");
    }

    @Test
    void aFailedProbe_opensItAgainForAFullWait() {
        CircuitBreaker breaker = breakers.of(target);
        calls(breaker, true, true, true, true);
        time.advance(Duration.ofSeconds(31));
        calls(breaker, true, true);

        assertThat(breakers.state(target)).isEqualTo("open");
        time.advance(Duration.ofSeconds(30));
        assertThat(Breakers.admits(breaker)).isFalse();
        time.advance(Duration.ofNanos(1));
        assertThat(Breakers.admits(breaker)).isTrue();
    }

    @Test
    void theWallClock_doesNotTimeTheWait() {
        // a breaker over a ticker that does not move stays open whatever the host's clock says
        var frozen = new Breakers(Map.of("p", POLICY), null, () -> 42L);
        CircuitBreaker breaker = frozen.of(target);
        calls(breaker, true, true, true, true);

        assertThat(Breakers.admits(breaker)).isFalse();
        assertThat(frozen.state(target)).isEqualTo("open");
    }

    /** The breaker never calls its target's provider. */
    private static final class Unused implements ChatProvider {
        @Override
        public String name() {
            return "p";
        }

        @Override
        public ChatResult complete(String upstreamModel, ChatRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public StreamSummary stream(String upstreamModel, ChatRequest request, ChunkSink sink) {
            throw new UnsupportedOperationException();
        }
    }
}
