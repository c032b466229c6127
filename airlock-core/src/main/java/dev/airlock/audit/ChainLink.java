package dev.airlock.audit;

/**
 * One record of the audit chain as stored.
 *
 * @param seq its position, from 1, without gaps; leaf {@code seq - 1} of the Merkle tree
 * @param record the record the chain holds: decoded from its stored canonical bytes (what its leaf hash covers), with
 *     its stored content
 * @param leafHash the leaf hash stored with it (used for inclusion proofs); must equal {@code AuditHash.leaf(record)}
 * @param previousHash the link of the record before it ({@link AuditHash#GENESIS} for the first), as stored beside it
 * @param hash this record's link: {@code AuditHash.link(previousHash, AuditHash.leaf(record))}
 * @param indexed the same record as the store's search columns describe it; equal to {@code record} unless a column
 *     was altered
 */
public record ChainLink(
        long seq, AuditRecord record, String leafHash, String previousHash, String hash, AuditRecord indexed) {}
