package dev.airlock.server.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The value an option takes when a file leaves it out, written as it would be in YAML ({@code 30s}, {@code 128},
 * {@code hash}). Declared once, beside the option: binding fills it in, and the JSON Schema and the defaults column of
 * {@code docs/configuration.md} are generated from it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
public @interface Default {
    String value();
}
