package dev.airlock.server.alert;

import dev.airlock.alert.Signal;
import dev.airlock.alert.SignalSource;
import dev.airlock.pipeline.Record;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Counts Decisions this node could not record (the store refused the write), for {@code decisions_not_recorded}: how
 * many failed within the window. Wraps the record stage; what it wraps still throws, so callers get their 503.
 */
public final class RecordFailures implements SignalSource {
    private final Clock clock;
    private final Duration window;
    private final ConcurrentLinkedDeque<Instant> failures = new ConcurrentLinkedDeque<>();

    RecordFailures(Clock clock, Duration window) {
        this.clock = clock;
        this.window = window;
    }

    /** {@code record}, counting the Decisions it fails to make durable. */
    public Record around(Record record) {
        return decision -> {
            try {
                return record.record(decision);
            } catch (RuntimeException e) {
                failures.addLast(clock.instant());
                throw e;
            }
        };
    }

    @Override
    public List<Signal> read(Instant now) {
        Instant from = now.minus(window);
        while (!failures.isEmpty() && failures.peekFirst().isBefore(from)) {
            failures.pollFirst();
        }
        return List.of(Signal.installation("decisions_not_recorded", "store", failures.size(), now));
    }
}
