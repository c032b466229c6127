package dev.airlock.audit;

/**
 * One record of the audit chain as stored.
 *
 * @param seq its position, from 1, without gaps; leaf {@code seq - 1} of the Merkle tree
 * @param record the recorded Decision or event
 * @param leafHash the leaf hash stored with it (used for inclusion proofs); must equal {@code AuditHash.leaf(record)}
 * @param previousHash the link of the record before it ({@link AuditHash#GENESIS} for the first)
 * @param hash this record's link: {@code AuditHash.link(previousHash, AuditHash.leaf(record))}
 */
public record ChainLink(long seq, AuditRecord record, String leafHash, String previousHash, String hash) {}
