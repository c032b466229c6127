package dev.airlock.audit;

import dev.airlock.decision.Decision;
import org.jspecify.annotations.Nullable;

/** One record of the audit log: a Decision, or an administrative event (keys, configuration, erasure, purge). */
public sealed interface AuditRecord permits AuditRecord.OfDecision, AuditEvent {

    /** The record's id (the Decision id or the event id). */
    String id();

    /**
     * A Decision as stored in the log.
     *
     * @param decision the Decision
     * @param contentSha256 SHA-256 (hex) of its stored content as written, which the chain commits to; null when no
     *     content was kept
     * @param storedContent the stored form of the content (plain or encrypted) as it is now, or null once purged
     */
    record OfDecision(
            Decision decision,
            @Nullable String contentSha256,
            @Nullable String storedContent) implements AuditRecord {
        @Override
        public String id() {
            return decision.id();
        }
    }
}
