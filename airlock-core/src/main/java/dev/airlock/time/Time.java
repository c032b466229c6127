package dev.airlock.time;

import java.time.Clock;
import java.util.Objects;

/**
 * Time as a dependency: the {@link Ticker} that measures durations and deadlines, the wall {@link Clock} that dates
 * things (decisions, key expiry, budget periods, retirement days), and the {@link Sleeper} that waits between
 * retries. Production passes {@link #system()}; tests pass {@link FakeTime#time()} and assert exact timings instead of
 * bounding real ones.
 *
 * <pre>{@code
 * Pipeline pipeline = Pipeline.builder().time(Time.system())...build();
 * // in a test
 * FakeTime fake = new FakeTime();
 * Pipeline pipeline = Pipeline.builder().time(fake.time())...build();
 * assertThat(fake.slept()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
 * }</pre>
 */
public record Time(Ticker ticker, Clock clock, Sleeper sleeper) {
    private static final Time SYSTEM = new Time(Ticker.system(), Clock.systemUTC(), Sleeper.system());

    public Time {
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(sleeper, "sleeper");
    }

    /** The host's time: {@link System#nanoTime()}, UTC wall clock, {@link Thread#sleep}. */
    public static Time system() {
        return SYSTEM;
    }

    /** The same ticker and sleeper with another wall clock (one fixed in a test, or one in another zone). */
    public Time withClock(Clock value) {
        return new Time(ticker, value, sleeper);
    }
}
