package dev.airlock.audit;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where a use case records the administrative events it causes: {@link AuditTrail} appends them to the audit chain.
 * A use case takes this port rather than the chain, so its tests can read back what it recorded.
 */
@FunctionalInterface
public interface AdminEvents {
    /**
     * Records one event of a kind from the closed set {@link AdminAction}.
     *
     * @param tenant the tenant it concerns, or null for the whole installation
     * @param actor who did it: {@code key:<id>}, {@code cli:<os user>}, {@code airlock}
     * @param target what it was done to, or null
     */
    AuditEvent record(
            AdminAction action,
            @Nullable String tenant,
            String actor,
            @Nullable String target,
            Map<String, String> details);
}
