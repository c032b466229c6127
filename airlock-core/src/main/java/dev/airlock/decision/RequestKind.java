package dev.airlock.decision;

import java.util.Locale;

/** The shape of an AI call. A model serves one kind. */
public enum RequestKind {
    CHAT,
    EMBEDDING,
    PREDICT;

    private final String id = name().toLowerCase(Locale.ROOT);

    public String id() {
        return id;
    }
}
