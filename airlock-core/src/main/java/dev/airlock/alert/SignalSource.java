package dev.airlock.alert;

import java.time.Instant;
import java.util.List;

/**
 * Where rules read signals from. A new kind of signal (drift, live accuracy, fairness) is one more source handed to
 * {@link Alerts}; the rules derived from a model's thresholds already name it.
 *
 * <pre>{@code
 * SignalSource drift = now -> driftReports.latest().stream()
 *         .map(r -> new Signal("drift", r.model(), r.version(), r.score(), r.at()))
 *         .toList();
 * }</pre>
 */
@FunctionalInterface
public interface SignalSource {
    /** The current readings; a source that has nothing to say returns none. Called once per evaluation. */
    List<Signal> read(Instant now);
}
