package dev.airlock.cost;

import dev.airlock.time.Ticker;
import java.time.Instant;

/**
 * Token buckets by name, each holding at most {@code perMinute} tokens and refilled continuously at {@code perMinute}
 * per minute. In this node's memory ({@link #inMemory}), or in a database that several nodes share, so that a limit
 * holds for all of them together.
 */
public interface TokenBuckets {
    /**
     * Takes {@code amount} tokens if the bucket has them.
     *
     * @return 0 when taken, else how many nanoseconds until the bucket would have them
     */
    long tryTake(String bucket, long perMinute, long amount, Instant now);

    /** Puts back {@code delta} tokens (up to the capacity), or takes {@code -delta} even past empty. */
    void adjust(String bucket, long perMinute, long delta, Instant now);

    /** Buckets in this node's memory, refilled as {@link System#nanoTime()} moves. */
    static TokenBuckets inMemory() {
        return inMemory(Ticker.system());
    }

    /** Buckets in this node's memory, refilled as {@code ticker} moves (a test passes {@code FakeTime.ticker()}). */
    static TokenBuckets inMemory(Ticker ticker) {
        return new LocalBuckets(ticker);
    }
}
