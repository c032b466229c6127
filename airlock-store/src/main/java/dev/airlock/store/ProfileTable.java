package dev.airlock.store;

import dev.airlock.monitor.Profile;
import dev.airlock.monitor.ProfileStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@code profile_partials} and {@code profile_references} tables. A node's flush reads its own row of the window
 * and writes it back merged, in one transaction; only that node writes the row, so nodes never wait for one another.
 */
final class ProfileTable implements ProfileStore {
    private final Database database;

    ProfileTable(Database database) {
        this.database = database;
    }

    @Override
    public void mergePartial(String node, Profile partial) {
        long window = partial.from().toEpochMilli();
        database.writes().useTransaction(handle -> {
            Optional<byte[]> stored = handle.createQuery("SELECT profile FROM profile_partials WHERE model = :model"
                            + " AND version = :version AND window_start = :window AND node = :node")
                    .bind("model", partial.model())
                    .bind("version", partial.version())
                    .bind("window", window)
                    .bind("node", node)
                    .map((rs, ctx) -> rs.getBytes("profile"))
                    .findOne();
            Profile merged = stored.map(Profile::fromBytes).orElseGet(partial::copy);
            if (stored.isPresent()) {
                merged.merge(partial);
            }
            handle.createUpdate("INSERT INTO profile_partials (model, version, window_start, node, profile) VALUES"
                            + " (:model, :version, :window, :node, :profile) ON CONFLICT (model, version,"
                            + " window_start, node) DO UPDATE SET profile = excluded.profile")
                    .bind("model", partial.model())
                    .bind("version", partial.version())
                    .bind("window", window)
                    .bind("node", node)
                    .bind("profile", merged.toBytes())
                    .execute();
        });
    }

    @Override
    public List<Profile> windows(String model, String version, Instant from, Instant to) {
        TreeMap<Long, Profile> byWindow = new TreeMap<>();
        database.reads()
                .useHandle(handle -> handle.createQuery("SELECT window_start, profile FROM profile_partials WHERE"
                                + " model = :model AND version = :version AND window_start >= :from AND"
                                + " window_start < :to")
                        .bind("model", model)
                        .bind("version", version)
                        .bind("from", from.toEpochMilli())
                        .bind("to", to.toEpochMilli())
                        .map((rs, ctx) -> new Partial(rs.getLong("window_start"), rs.getBytes("profile")))
                        .forEach(p -> byWindow.merge(p.window(), Profile.fromBytes(p.bytes()), Profile::merge)));
        return new ArrayList<>(byWindow.values());
    }

    @Override
    public void putReference(Profile reference) {
        database.writes()
                .useHandle(handle -> handle.createUpdate("INSERT INTO profile_references (model, version, profile)"
                                + " VALUES (:model, :version, :profile) ON CONFLICT (model, version) DO UPDATE SET"
                                + " profile = excluded.profile")
                        .bind("model", reference.model())
                        .bind("version", reference.version())
                        .bind("profile", reference.toBytes())
                        .execute());
    }

    @Override
    public Optional<Profile> reference(String model, String version) {
        return database.reads()
                .withHandle(handle -> handle.createQuery(
                                "SELECT profile FROM profile_references WHERE model = :model AND version = :version")
                        .bind("model", model)
                        .bind("version", version)
                        .map((rs, ctx) -> rs.getBytes("profile"))
                        .findOne())
                .map(Profile::fromBytes);
    }

    private record Partial(long window, byte[] bytes) {}
}
