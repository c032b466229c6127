package dev.airlock.decision;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Decisions in a map, for core tests; passes {@link DecisionLogContract}. Keeps no audit chain: what needs the chain
 * is tested on the store.
 */
public final class InMemoryDecisionLog implements DecisionLog {
    private static final Comparator<Decision> OLDEST_FIRST =
            Comparator.comparing(Decision::startedAt).thenComparing(Decision::id);

    private final Map<String, Decision> decisions = new LinkedHashMap<>();

    @Override
    public synchronized void append(Decision decision) {
        if (decisions.putIfAbsent(decision.id(), decision) != null) {
            throw new IllegalStateException("Decision id '" + decision.id() + "' is already taken");
        }
    }

    @Override
    public synchronized Optional<Decision> findDecision(String id) {
        return Optional.ofNullable(decisions.get(id));
    }

    @Override
    public List<Decision> recentDecisions(String tenant, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        return snapshot().stream()
                .filter(d ->
                        d.principal() != null && tenant.equals(d.principal().tenant()))
                .sorted(OLDEST_FIRST.reversed())
                .limit(limit)
                .toList();
    }

    @Override
    public void searchDecisions(DecisionQuery query, Predicate<Decision> visitor) {
        for (Decision d : snapshot().stream().sorted(OLDEST_FIRST).toList()) {
            if (query.matches(d) && ofSubject(d, query.subject()) && !visitor.test(d)) {
                return;
            }
        }
    }

    private static boolean ofSubject(Decision d, String subject) {
        return subject == null
                || (d.content() != null && subject.equals(d.content().subject()));
    }

    /** A copy, so that a visitor may append while it reads. */
    /** Every Decision appended, in the order appended; what ports derived from the log (spend) read. */
    public List<Decision> all() {
        return snapshot();
    }

    private synchronized List<Decision> snapshot() {
        return new ArrayList<>(decisions.values());
    }
}
