package dev.airlock.server.config;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * Where the embedded store's file is: a relative SQLite path in the configuration resolves against the configuration
 * file's folder, like every other path in it, so a command finds the same store from any working directory.
 */
final class StoreLocation {
    private static final String SQLITE = "jdbc:sqlite:";
    private static final String FILE = "file:";

    private StoreLocation() {}

    /**
     * The URL with a relative SQLite file made absolute by {@code resolve}; other URLs (PostgreSQL, an absolute file,
     * an in-memory database) as written.
     */
    static String resolved(String url, Function<String, Path> resolve) {
        if (!url.startsWith(SQLITE)) {
            return url;
        }
        String rest = url.substring(SQLITE.length());
        String scheme = rest.startsWith(FILE) ? FILE : "";
        String pathAndQuery = rest.substring(scheme.length());
        int q = pathAndQuery.indexOf('?');
        String file = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q);
        if (file.isBlank() || file.startsWith(":") || file.startsWith("/") || query.contains("mode=memory")) {
            return url;
        }
        Path path = Path.of(file);
        return path.isAbsolute() ? url : SQLITE + scheme + resolve.apply(file) + query;
    }

    /** The configuration with its store URL resolved against its source's folder. */
    static AirlockConfig resolvedIn(AirlockConfig config) {
        String url = resolved(config.store().url(), config::resolve);
        return url.equals(config.store().url())
                ? config
                : config.toBuilder()
                        .store(new AirlockConfig.Store(
                                url, config.store().user(), config.store().password()))
                        .build();
    }
}
