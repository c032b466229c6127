package dev.airlock.time;

import java.time.Duration;

/**
 * Waits for a while, as a retry's backoff does. The system one parks the thread; {@link FakeTime}'s moves its own
 * ticker on by the slept amount at once and records it, so a test of retries neither waits nor races.
 */
@FunctionalInterface
public interface Sleeper {
    /**
     * Returns once {@code duration} has passed (at once when it is zero or negative).
     *
     * @throws InterruptedException when the thread is interrupted before or while waiting
     */
    void sleep(Duration duration) throws InterruptedException;

    /** Parks the calling thread, {@link Thread#sleep(Duration)}. */
    static Sleeper system() {
        return duration -> {
            if (duration.isNegative() || duration.isZero()) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                return;
            }
            Thread.sleep(duration);
        };
    }
}
