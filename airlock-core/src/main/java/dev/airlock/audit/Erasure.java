package dev.airlock.audit;

import java.time.Instant;

/** Removing content from the audit log without breaking its chain: a data subject's erasure and retention. */
public interface Erasure {
    /**
     * Erases a data subject by crypto-shredding: destroys the subject's keys, so content kept for them reads as
     * erased from now on, and appends a {@code subject.erased} event naming the subject only by its reference. The
     * chain still verifies. Returns how many Decisions held readable content of the subject.
     */
    int eraseSubject(String tenant, String subject, String actor, Instant at);

    /**
     * Removes content whose retention ran out ({@code content_expires_at <= now}), keeping the digest the chain commits
     * to, and appends a {@code content.purged} event when anything was removed. Returns how many Decisions lost
     * content.
     */
    int purgeExpiredContent(Instant now, String actor);
}
