package dev.airlock.audit;

import dev.airlock.decision.DecisionIds;
import java.time.Clock;
import java.util.Map;

/** Appends administrative events (keys, configuration, signing keys) to the audit chain. */
public final class AuditTrail {
    private final AuditChain chain;
    private final Clock clock;

    public AuditTrail(AuditChain chain, Clock clock) {
        this.chain = chain;
        this.clock = clock;
    }

    /** The actor for commands run from a shell: {@code cli:<os user>}. */
    public static String commandLineActor() {
        return "cli:" + System.getProperty("user.name", "unknown");
    }

    public AuditEvent record(String tenant, String actor, String action, String target, Map<String, String> details) {
        var now = clock.instant();
        var event = new AuditEvent(DecisionIds.next(now.toEpochMilli()), now, tenant, actor, action, target, details);
        chain.appendEvent(event);
        return event;
    }
}
