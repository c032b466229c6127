package dev.airlock.provider;

import org.jspecify.annotations.Nullable;

/** Something that answers AI calls: an upstream API or an in-process model. */
public interface Provider {
    /** The name the configuration gives it. */
    String name();

    /** The version of the model artifact this provider runs, when it knows it (in-process models do); else null. */
    default @Nullable String version() {
        return null;
    }
}
