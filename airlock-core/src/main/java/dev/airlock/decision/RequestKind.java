package dev.airlock.decision;

import java.util.Locale;

/** The shape of an AI call. A model serves one kind. */
public enum RequestKind {
    CHAT,
    EMBEDDING,
    PREDICT;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
