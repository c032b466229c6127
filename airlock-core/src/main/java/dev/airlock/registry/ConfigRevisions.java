package dev.airlock.registry;

import java.util.Optional;

/** Where configurations applied with {@code airlock apply} are kept. */
public interface ConfigRevisions {
    /** Keeps a configuration applied with {@code airlock apply}. */
    void recordConfigRevision(ConfigRevision revision);

    /** The configuration applied last, if any was. */
    Optional<ConfigRevision> latestConfigRevision();
}
