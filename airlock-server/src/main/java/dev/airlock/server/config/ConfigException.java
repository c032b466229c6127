package dev.airlock.server.config;

/** An invalid configuration. The message names the file, the line, the field and what was expected. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
