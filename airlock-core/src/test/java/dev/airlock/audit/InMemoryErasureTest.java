package dev.airlock.audit;

import dev.airlock.decision.DecisionLog;

class InMemoryErasureTest extends ErasureContract {
    private final InMemoryAuditChain chain = new InMemoryAuditChain();

    @Override
    protected DecisionLog log() {
        return chain.decisionLog();
    }

    @Override
    protected AuditChain chain() {
        return chain;
    }

    @Override
    protected Erasure erasure() {
        return chain;
    }
}
