package dev.airlock.readiness;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the gate learns about a version's live traffic against its reference profile: the port through which the
 * runtime, which owns profiles and their store, tells the gate whether {@code thresholds.drift} is watched and what
 * it shows. Core's gate stays free of storage; a gate built without one says drift is not watched where it runs.
 *
 * <pre>{@code
 * LiveDrift drift = (model, version) -> new LiveDrift.Measured("1.0.0", Duration.ofHours(24), 300, 0.1, List.of());
 * }</pre>
 */
@FunctionalInterface
public interface LiveDrift {
    /** A gate that reads no live traffic (a command without profiles, a test). */
    LiveDrift NOT_WATCHED = (model, version) -> new NotWatched();

    /**
     * The drift of one version's recent traffic.
     *
     * @param version the version scored, or null for the one serving production
     */
    Reading read(String model, @Nullable String version);

    /** What was found. */
    sealed interface Reading permits NotWatched, NoReference, NoTraffic, Measured {}

    /** Nothing here reads live traffic. */
    record NotWatched() implements Reading {}

    /** The version has no reference profile, so nothing can compare its traffic with what it was trained on. */
    record NoReference(String version) implements Reading {}

    /** The version had no calls over {@code since}. */
    record NoTraffic(String version, Duration since) implements Reading {}

    /**
     * The comparison.
     *
     * @param since how far back the traffic compared goes
     * @param calls calls compared
     * @param share the dataset drift share: drifted columns over compared columns (what {@code thresholds.drift} is
     *     held against)
     * @param drifted the columns that drifted
     */
    record Measured(String version, Duration since, long calls, double share, List<String> drifted) implements Reading {
        public Measured {
            Objects.requireNonNull(version, "version");
            drifted = List.copyOf(drifted);
        }
    }
}
