package dev.airlock.registry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Configuration revisions in a list, for core tests; passes {@link ConfigRevisionsContract}. */
public final class InMemoryConfigRevisions implements ConfigRevisions {
    private final List<ConfigRevision> revisions = new ArrayList<>();

    @Override
    public synchronized void recordConfigRevision(ConfigRevision revision) {
        revisions.add(revision);
    }

    @Override
    public synchronized Optional<ConfigRevision> latestConfigRevision() {
        return revisions.stream().max(Comparator.comparing(ConfigRevision::at).thenComparing(ConfigRevision::id));
    }
}
