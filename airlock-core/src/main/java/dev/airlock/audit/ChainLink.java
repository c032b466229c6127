package dev.airlock.audit;

import dev.airlock.decision.Decision;

/**
 * One record of the audit chain as stored.
 *
 * @param seq its position, from 1, without gaps
 * @param decision the recorded Decision
 * @param previousHash the link of the record before it ({@link AuditHash#GENESIS} for the first)
 * @param hash this record's link: {@code AuditHash.link(previousHash, AuditHash.leaf(decision))}
 */
public record ChainLink(long seq, Decision decision, String previousHash, String hash) {}
