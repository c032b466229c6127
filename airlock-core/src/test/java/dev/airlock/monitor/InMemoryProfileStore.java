package dev.airlock.monitor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Profiles kept in memory, as bytes like a database keeps them (so a read never shares state with a write). */
public final class InMemoryProfileStore implements ProfileStore {
    private record Key(String model, String version, long windowStart, String node) {}

    private final Map<Key, byte[]> partials = new HashMap<>();
    private final Map<String, byte[]> references = new HashMap<>();

    @Override
    public synchronized void mergePartial(String node, Profile partial) {
        var key = new Key(partial.model(), partial.version(), partial.from().toEpochMilli(), node);
        byte[] stored = partials.get(key);
        Profile merged =
                stored == null ? partial.copy() : Profile.fromBytes(stored).merge(partial);
        partials.put(key, merged.toBytes());
    }

    @Override
    public synchronized List<Profile> windows(String model, String version, Instant from, Instant to) {
        TreeMap<Long, Profile> byWindow = new TreeMap<>();
        partials.forEach((key, bytes) -> {
            if (key.model().equals(model)
                    && key.version().equals(version)
                    && key.windowStart() >= from.toEpochMilli()
                    && key.windowStart() < to.toEpochMilli()) {
                Profile p = Profile.fromBytes(bytes);
                byWindow.merge(key.windowStart(), p, Profile::merge);
            }
        });
        return new ArrayList<>(byWindow.values());
    }

    @Override
    public synchronized void putReference(Profile reference) {
        references.put(reference.model() + "\u0000" + reference.version(), reference.toBytes());
    }

    @Override
    public synchronized Optional<Profile> reference(String model, String version) {
        return Optional.ofNullable(references.get(model + "\u0000" + version)).map(Profile::fromBytes);
    }
}
