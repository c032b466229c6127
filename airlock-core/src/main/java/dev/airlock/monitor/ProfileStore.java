package dev.airlock.monitor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where profiles are kept: each node's partial of each window (merged into what that node already stored for the
 * window), and one reference profile per model version. Reads merge the partials of every node, so nodes sharing a
 * database see one profile per window. Implemented on SQLite and PostgreSQL by airlock-store; an in-memory one in
 * core's tests; all pass {@code ProfileStoreContract}.
 */
public interface ProfileStore {
    /**
     * Adds {@code partial} to what {@code node} stored for the same model version and window (its {@link
     * Profile#from()}), durably.
     */
    void mergePartial(String node, Profile partial);

    /**
     * The windows of a model version that start in [{@code from}, {@code to}), each merged across nodes, oldest first.
     */
    List<Profile> windows(String model, String version, Instant from, Instant to);

    /** Replaces the reference profile of its model version. */
    void putReference(Profile reference);

    /** The reference profile of a model version, if one was put. */
    Optional<Profile> reference(String model, String version);

    /** The windows in [{@code from}, {@code to}) merged into one profile; empty when there are none. */
    default Optional<Profile> merged(String model, String version, Instant from, Instant to) {
        List<Profile> windows = new ArrayList<>(windows(model, version, from, to));
        if (windows.isEmpty()) {
            return Optional.empty();
        }
        Profile merged = windows.removeFirst();
        windows.forEach(merged::merge);
        return Optional.of(merged);
    }
}
