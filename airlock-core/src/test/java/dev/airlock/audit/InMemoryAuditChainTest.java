package dev.airlock.audit;

class InMemoryAuditChainTest extends AuditChainContract {
    private final InMemoryAuditChain chain = new InMemoryAuditChain();

    @Override
    protected AuditChain chain() {
        return chain;
    }
}
