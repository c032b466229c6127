package dev.airlock.decision;

import java.util.Locale;

/** The shape of an AI call. A model serves one kind. */
public enum RequestKind {
    CHAT,
    EMBEDDING,
    PREDICT,
    /** A workflow's call of a declared tool (a business system's HTTP endpoint, or retrieval); never a model's kind. */
    TOOL;

    private final String id = name().toLowerCase(Locale.ROOT);

    public String id() {
        return id;
    }
}
