package dev.airlock.audit;

import dev.airlock.decision.DecisionLog;
import dev.airlock.decision.DecisionLogContract;

/** The decision log of the in-memory chain is an honest one. */
class InMemoryAuditChainDecisionsTest extends DecisionLogContract {
    private final DecisionLog log = new InMemoryAuditChain().decisionLog();

    @Override
    protected DecisionLog log() {
        return log;
    }
}
