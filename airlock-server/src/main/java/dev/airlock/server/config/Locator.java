package dev.airlock.server.config;

import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Turns a JSON pointer into the merged configuration into {@code file:line}, wherever that part was written. */
final class Locator {
    /**
     * A part of the configuration as written.
     *
     * @param prefix where the part is inside its own file (list entries move when files are joined)
     */
    record Origin(Path file, String text, String prefix) {}

    private final @Nullable Origin fallback;
    private final Map<String, Origin> origins;

    Locator(@Nullable Origin fallback, Map<String, Origin> origins) {
        this.fallback = fallback;
        this.origins = Map.copyOf(origins);
    }

    /** A configuration written in one file. */
    static Locator of(Path file, String text) {
        return new Locator(new Origin(file, text, ""), Map.of());
    }

    /** A configuration built in code: errors name the option only. */
    static Locator inCode() {
        return new Locator(null, Map.of());
    }

    /** {@code file:line} of the value at {@code pointer}, or of its nearest enclosing part. */
    String at(String pointer) {
        String bestPrefix = null;
        for (String prefix : origins.keySet()) {
            if ((pointer.equals(prefix) || pointer.startsWith(prefix + "/"))
                    && (bestPrefix == null || prefix.length() > bestPrefix.length())) {
                bestPrefix = prefix;
            }
        }
        Origin origin = bestPrefix == null ? fallback : origins.get(bestPrefix);
        if (origin == null) {
            return "(configuration)";
        }
        String local = bestPrefix == null ? pointer : origin.prefix() + pointer.substring(bestPrefix.length());
        int line = YamlLocator.lineOf(origin.text(), local);
        return origin.file() + (line > 0 ? ":" + line : "");
    }
}
