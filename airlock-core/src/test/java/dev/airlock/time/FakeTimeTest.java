package dev.airlock.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Fake time moves only when told, and its ticker, clock and sleeper agree. */
class FakeTimeTest {
    private final FakeTime time = new FakeTime(Instant.parse("2026-03-01T12:00:00Z"));

    @Test
    void advance_movesTheTickerAndTheClockTogether() {
        long start = time.ticker().read();

        time.advance(Duration.ofMillis(1_500));

        assertThat(time.ticker().read() - start).isEqualTo(1_500_000_000L);
        assertThat(time.clock().instant()).isEqualTo(Instant.parse("2026-03-01T12:00:01.500Z"));
        assertThat(time.elapsed()).isEqualTo(Duration.ofMillis(1_500));
    }

    @Test
    void aSleep_movesTimeOnByTheSleptAmountAtOnce_andIsRecorded() throws InterruptedException {
        Sleeper sleeper = time.sleeper();

        sleeper.sleep(Duration.ofMillis(200));
        sleeper.sleep(Duration.ofSeconds(2));

        assertThat(time.slept()).containsExactly(Duration.ofMillis(200), Duration.ofSeconds(2));
        assertThat(time.elapsed()).isEqualTo(Duration.ofMillis(2_200));
    }

    @Test
    void aSleepOnAnInterruptedThread_throws_andTimeStandsStill() {
        Thread.currentThread().interrupt();

        assertThatThrownBy(() -> time.sleeper().sleep(Duration.ofSeconds(1))).isInstanceOf(InterruptedException.class);
        assertThat(Thread.currentThread().isInterrupted())
                .as("the interrupt is consumed")
                .isFalse();
        assertThat(time.slept()).isEmpty();
        assertThat(time.elapsed()).isZero();
    }

    @Test
    void timeNeverMovesBack() {
        assertThatThrownBy(() -> time.advance(Duration.ofNanos(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT-0.000000001S");
    }

    @Test
    void aTickerAsClock_followsTheTicker() {
        var clock = time.ticker().asClock();
        Instant before = clock.instant();

        time.advance(Duration.ofSeconds(30));

        assertThat(Duration.between(before, clock.instant())).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void theSystemTime_isTheHostsTicker_clockAndSleeper() throws InterruptedException {
        Time system = Time.system();
        long a = system.ticker().read();
        system.sleeper().sleep(Duration.ZERO);

        assertThat(system.ticker().read()).isGreaterThanOrEqualTo(a);
        assertThat(system.clock().getZone()).isEqualTo(ZoneOffset.UTC);
    }
}
