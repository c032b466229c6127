package dev.airlock.audit;

import java.util.function.Consumer;

/** The stored audit chain, read in order. Implementations: the embedded store and PostgreSQL. */
public interface AuditChain {
    /** Hands every record to {@code visitor} in chain order, holding only a page of them in memory at a time. */
    void forEachLink(Consumer<ChainLink> visitor);
}
