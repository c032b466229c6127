package dev.airlock.cost;

import dev.airlock.decision.DecisionLog;
import dev.airlock.decision.InMemoryDecisionLog;

class InMemorySpendTest extends SpendSourceContract {
    private final InMemoryDecisionLog log = new InMemoryDecisionLog();
    private final InMemorySpend spend = new InMemorySpend(log);

    @Override
    protected DecisionLog log() {
        return log;
    }

    @Override
    protected SpendSource spend() {
        return spend;
    }
}
