package dev.airlock.audit;

import dev.airlock.decision.DecisionIds;
import java.time.Clock;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Appends administrative events (keys, configuration, deployments, reviews, signing keys…) to the audit chain, each of
 * a kind from the closed set {@link AdminAction}.
 *
 * <pre>{@code
 * trail.record(AdminAction.KEY_REVOKED, tenant, AuditTrail.commandLineActor(), keyId, Map.of());
 * }</pre>
 */
public final class AuditTrail implements AdminEvents {
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

    /** Appends one event, stamped now, durably, and returns it. */
    @Override
    public AuditEvent record(
            AdminAction action,
            @Nullable String tenant,
            String actor,
            @Nullable String target,
            Map<String, String> details) {
        var now = clock.instant();
        var event =
                new AuditEvent(DecisionIds.next(now.toEpochMilli()), now, tenant, actor, action.id(), target, details);
        chain.appendEvent(event);
        return event;
    }
}
