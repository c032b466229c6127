package dev.airlock.server.runtime;

import dev.airlock.monitor.Profiles;
import dev.airlock.registry.ModelCatalog;
import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the reference profile of every version of each model that declares {@code monitoring.reference}, at start,
 * unless the version has one already (one put through the admin API or CLI stays until replaced).
 */
final class ProfileReferences {
    private static final Logger LOG = LoggerFactory.getLogger(ProfileReferences.class);

    private ProfileReferences() {}

    static void build(AirlockConfig config, ModelCatalog catalog, Profiles profiles) {
        config.models().forEach((model, m) -> {
            if (m.monitoring().reference() == null) {
                return;
            }
            Path file = config.resolve(m.monitoring().reference());
            String csv;
            try {
                csv = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ConfigException(
                        "models." + model + ".monitoring.reference: cannot read " + file + ": " + e.getMessage());
            }
            for (String version : catalog.versions(model).keySet()) {
                try {
                    profiles.ensureReference(model, version, csv)
                            .ifPresent(stored -> LOG.info(
                                    "reference profile of {}@{}: {} rows of {}{}; ignored columns {}",
                                    model,
                                    version,
                                    stored.rows(),
                                    file,
                                    stored.label() == null ? "" : ", label column " + stored.label(),
                                    stored.ignored()));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(
                            "models." + model + ".monitoring.reference: " + file + ": " + e.getMessage());
                }
            }
        });
    }
}
