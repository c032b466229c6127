package dev.airlock.server.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * Which build of Airlock this is: the Maven project version written into {@code build.properties} at build time, and
 * the git commit when the build was given one ({@code -Dairlock.commit=$(git rev-parse --short HEAD)}). Shown by
 * {@code airlock --version} and {@code /healthz}, and recorded in every Decision.
 *
 * <pre>{@code
 * String v = BuildInfo.current().display(); // "0.1.0-SNAPSHOT (abc1234)"
 * }</pre>
 *
 * @param version the project version, e.g. {@code 0.1.0}
 * @param commit the git commit, or null when the build did not name one
 */
public record BuildInfo(String version, @Nullable String commit) {
    private static final BuildInfo CURRENT = load();

    /** This build. */
    public static BuildInfo current() {
        return CURRENT;
    }

    /** The version, and the commit in brackets when known: what Decisions record. */
    public String display() {
        return commit == null ? version : version + " (" + commit + ")";
    }

    private static BuildInfo load() {
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                throw new IllegalStateException("build.properties is missing from the server's classes");
            }
            var p = new Properties();
            p.load(in);
            String version = filled(p.getProperty("version"));
            return new BuildInfo(version == null ? "unknown" : version, filled(p.getProperty("commit")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A filtered value, or null when the build left the placeholder (or nothing) there. */
    private static @Nullable String filled(@Nullable String value) {
        return value == null || value.isBlank() || value.contains("${") ? null : value.strip();
    }
}
