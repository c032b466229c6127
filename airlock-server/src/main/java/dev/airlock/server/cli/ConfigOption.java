package dev.airlock.server.cli;

import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.config.ConfigException;
import dev.airlock.server.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The {@code --config} option every command that needs a configuration shares (see {@link #discover}). */
final class ConfigOption {
    /** How every command finds its configuration, as {@code airlock --help} says it. */
    static final String WHERE = "Configuration: every command reads --config FILE (or a directory of .yaml files), else"
            + " $AIRLOCK_CONFIG, else ./airlock.yaml in the working directory. Relative paths in it (the SQLite store,"
            + " model files, reference data, key files) resolve against its folder.";

    @Option(
            names = {"-c", "--config"},
            paramLabel = "PATH",
            description = "The configuration file, or a directory whose .yaml files together make it. Default:"
                    + " $AIRLOCK_CONFIG, else ./airlock.yaml.")
    @Nullable
    Path file;

    Path path() {
        return discover(file);
    }

    /**
     * The configuration a command reads: {@code given} (from {@code --config}), else {@code $AIRLOCK_CONFIG}, else
     * {@code ./airlock.yaml}. Relative paths inside it resolve against its folder, not the working directory.
     */
    static Path discover(@Nullable Path given) {
        if (given != null) {
            return given;
        }
        String fromEnv = System.getenv("AIRLOCK_CONFIG");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        Path local = Path.of("airlock.yaml");
        if (Files.exists(local)) {
            return local;
        }
        throw new ConfigException("no configuration: pass --config FILE, set AIRLOCK_CONFIG, or create ./airlock.yaml"
                + " (a complete example: examples/loan-risk/airlock.yaml)");
    }

    AirlockConfig load() {
        return ConfigLoader.fromSystemEnvironment().load(path());
    }
}
