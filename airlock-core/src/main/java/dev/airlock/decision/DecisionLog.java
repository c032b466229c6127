package dev.airlock.decision;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** Where Decisions are kept. Implementations: the embedded store and PostgreSQL. */
public interface DecisionLog {
    /** Appends a Decision; when this returns, the Decision survives a crash of this process. */
    void append(Decision decision);

    Optional<Decision> findDecision(String id);

    /** The most recent Decisions of a tenant, newest first. */
    List<Decision> recentDecisions(String tenant, int limit);

    /**
     * Hands the Decisions a query matches to {@code visitor}, oldest first, holding only a page of them in memory at a
     * time; returns early when the visitor returns false.
     */
    void searchDecisions(DecisionQuery query, Predicate<Decision> visitor);
}
