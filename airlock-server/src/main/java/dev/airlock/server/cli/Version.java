package dev.airlock.server.cli;

import picocli.CommandLine;

/** The version printed by {@code airlock --version}. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Version.class.getPackage().getImplementationVersion();
        return new String[] {"airlock " + (version == null ? "development build" : version)};
    }
}
