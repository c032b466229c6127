package dev.airlock.time;

import java.time.Clock;
import java.time.ZoneOffset;

/**
 * A monotonic source of nanoseconds, for measuring how long something took and whether a deadline has passed; only
 * differences between two readings mean anything. Unlike the wall clock it never steps back or jumps when the host's
 * time is corrected, and a test can drive it by hand ({@link FakeTime}).
 *
 * <pre>{@code
 * long start = ticker.read();
 * call();
 * Duration took = Duration.ofNanos(ticker.read() - start);
 * }</pre>
 */
@FunctionalInterface
public interface Ticker {
    /** Nanoseconds from an arbitrary origin fixed for the life of the process. */
    long read();

    /** The host's monotonic clock, {@link System#nanoTime()}. */
    static Ticker system() {
        return System::nanoTime;
    }

    /**
     * A clock whose instants follow this ticker (the epoch plus its reading), for libraries that measure waits with a
     * {@link Clock} (Resilience4j's circuit breakers): their waits then follow monotonic time, not the wall clock. Its
     * instants are not dates.
     */
    default Clock asClock() {
        return new TickerClock(this, ZoneOffset.UTC);
    }
}
