package dev.airlock.time;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/** A {@link Clock} whose instants are the epoch plus a ticker's reading: monotonic, not dates. */
final class TickerClock extends Clock {
    private final Ticker ticker;
    private final ZoneId zone;

    TickerClock(Ticker ticker, ZoneId zone) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId value) {
        return new TickerClock(ticker, value);
    }

    @Override
    public Instant instant() {
        return Instant.EPOCH.plusNanos(ticker.read());
    }

    @Override
    public long millis() {
        return Math.floorDiv(ticker.read(), 1_000_000L);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TickerClock c && c.ticker.equals(ticker) && c.zone.equals(zone);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ticker, zone);
    }
}
