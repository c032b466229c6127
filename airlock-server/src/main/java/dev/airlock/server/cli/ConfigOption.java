package dev.airlock.server.cli;

import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.config.ConfigException;
import dev.airlock.server.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The {@code --config} option every command that needs a configuration shares. */
final class ConfigOption {
    @Option(
            names = {"-c", "--config"},
            paramLabel = "PATH",
            description = "The configuration file, or a directory whose .yaml files together make it. Default:"
                    + " $AIRLOCK_CONFIG, else ./airlock.yaml.")
    @Nullable
    Path file;

    Path path() {
        if (file != null) {
            return file;
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
