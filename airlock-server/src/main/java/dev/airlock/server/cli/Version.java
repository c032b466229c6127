package dev.airlock.server.cli;

import dev.airlock.server.runtime.BuildInfo;
import picocli.CommandLine;

/** The version printed by {@code airlock --version}: the build's version, and its commit when the build named one. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"airlock " + BuildInfo.current().display()};
    }
}
