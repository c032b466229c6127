package dev.airlock.retrieval;

import java.util.Locale;

/** How far a source of documents is trusted: what it sends is served, kept aside, or refused. */
public enum Trust {
    /** Its documents are served by retrieval (unless a document itself is quarantined). */
    TRUSTED,
    /** Its documents are kept but never served, until the source or the document is released. */
    QUARANTINED,
    /** Its documents are refused at ingestion. */
    BLOCKED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Trust parse(String id) {
        for (Trust t : values()) {
            if (t.id().equals(id)) {
                return t;
            }
        }
        throw new IllegalArgumentException("trust '" + id + "' is not one of trusted, quarantined, blocked");
    }
}
