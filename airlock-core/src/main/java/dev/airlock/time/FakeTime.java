package dev.airlock.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time that moves only when told: a ticker, a wall clock and a sleeper that agree with each other. {@link #advance}
 * moves both the ticker and the clock; a {@link #sleeper() sleep} does the same by the slept amount at once and is
 * recorded in {@link #slept()}. Thread-safe. For tests of retries, deadlines, breakers and rate limits that assert
 * exact timings.
 *
 * <pre>{@code
 * FakeTime time = new FakeTime();
 * long start = time.ticker().read();
 * time.advance(Duration.ofSeconds(30));
 * assert time.ticker().read() - start == 30_000_000_000L;
 * }</pre>
 */
public final class FakeTime {
    /** Where a fake clock starts unless told otherwise: midnight UTC, 1 January 2026. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

    private final Instant start;
    private final AtomicLong nanos = new AtomicLong();
    private final List<Duration> slept = new ArrayList<>();

    public FakeTime() {
        this(DEFAULT_START);
    }

    /** Time whose wall clock reads {@code start} until it is advanced. */
    public FakeTime(Instant start) {
        this.start = start;
    }

    /** Moves the ticker and the wall clock on by {@code duration}, which must not be negative. */
    public FakeTime advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("fake time only moves forward; advance by " + duration);
        }
        nanos.addAndGet(duration.toNanos());
        return this;
    }

    /** How far time has moved since this fake was made. */
    public Duration elapsed() {
        return Duration.ofNanos(nanos.get());
    }

    /** The ticker, reading nanoseconds since this fake was made. */
    public Ticker ticker() {
        return nanos::get;
    }

    /** The wall clock, in UTC: the start plus {@link #elapsed()}. */
    public Clock clock() {
        return new FakeClock(ZoneOffset.UTC);
    }

    /**
     * A sleeper that moves time on by the slept amount at once and records it. Interruptible: on an interrupted
     * thread it throws, as {@link Thread#sleep} does, and neither moves time nor records anything.
     */
    public Sleeper sleeper() {
        return duration -> {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted before a fake sleep of " + duration);
            }
            Duration d = duration.isNegative() ? Duration.ZERO : duration;
            synchronized (slept) {
                slept.add(d);
            }
            advance(d);
        };
    }

    /** Every sleep on {@link #sleeper()} so far, in order. */
    public List<Duration> slept() {
        synchronized (slept) {
            return List.copyOf(slept);
        }
    }

    /** Ticker, clock and sleeper together, to inject. */
    public Time time() {
        return new Time(ticker(), clock(), sleeper());
    }

    private final class FakeClock extends Clock {
        private final ZoneId zone;

        FakeClock(ZoneId zone) {
            this.zone = zone;
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId value) {
            return new FakeClock(value);
        }

        @Override
        public Instant instant() {
            return start.plusNanos(nanos.get());
        }
    }
}
