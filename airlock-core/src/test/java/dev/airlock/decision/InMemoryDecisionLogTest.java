package dev.airlock.decision;

class InMemoryDecisionLogTest extends DecisionLogContract {
    private final InMemoryDecisionLog log = new InMemoryDecisionLog();

    @Override
    protected DecisionLog log() {
        return log;
    }
}
