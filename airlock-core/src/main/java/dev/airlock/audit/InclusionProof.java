package dev.airlock.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Evidence that one record is in the audit log as a signed checkpoint saw it, checkable without the database: the
 * record's canonical bytes hash to its leaf, the audit path leads from the leaf to the checkpoint's Merkle root, and
 * the checkpoint is signed by the key given.
 *
 * @param recordId the Decision or event id
 * @param seq the record's position in the chain (leaf index {@code seq - 1})
 * @param canonical the record's canonical bytes, base64 (see {@link AuditHash})
 * @param leafHash {@code SHA-256(0x00 || canonical)}, hex
 * @param path the audit path from the leaf's sibling up, hex
 * @param checkpoint the signed checkpoint the path leads to
 * @param signingKey the public key that signed the checkpoint
 */
public record InclusionProof(
        String recordId,
        long seq,
        String canonical,
        String leafHash,
        List<String> path,
        Checkpoint checkpoint,
        SigningKey signingKey) {
    private static final HexFormat HEX = HexFormat.of();

    public InclusionProof {
        path = List.copyOf(path);
    }

    /** The record id inside canonical bytes: the second length-prefixed string (after the format name). */
    private static @Nullable String idIn(byte[] canonical) {
        var in = ByteBuffer.wrap(canonical);
        try {
            int formatLength = in.getInt();
            in.position(in.position() + formatLength);
            int idLength = in.getInt();
            byte[] id = new byte[idLength];
            in.get(id);
            return new String(id, StandardCharsets.UTF_8);
        } catch (RuntimeException malformed) {
            return null;
        }
    }

    /**
     * Builds the proof of the record at {@code seq} against the latest checkpoint; empty when no checkpoint covers it
     * yet (the next one will).
     */
    public static Optional<InclusionProof> of(AuditChain chain, AuditRecord record, long seq) {
        return of(chain, record, seq, null);
    }

    /**
     * Builds the proof as {@link #of(AuditChain, AuditRecord, long)} does, against a checkpoint one of {@code trusted}
     * signed (key id to public key, from outside the database; null trusts the keys the store publishes).
     *
     * @throws IllegalStateException when the latest checkpoint is not signed by a trusted key: someone able to write
     *     the database can publish a key of their own there and sign a checkpoint over records they forged
     */
    public static Optional<InclusionProof> of(
            AuditChain chain, AuditRecord record, long seq, @Nullable Map<String, PublicKey> trusted) {
        var latest = chain.latestCheckpoint();
        if (latest.isEmpty() || latest.get().checkpoint().treeSize() < seq) {
            return Optional.empty();
        }
        Checkpoint checkpoint = latest.get().checkpoint();
        SigningKey key = signingKeyOf(chain, checkpoint, trusted);
        List<String> path = MerkleTree.inclusionPath(
                        seq - 1, checkpoint.treeSize(), new StoredSubtrees(chain, checkpoint.treeSize()))
                .stream()
                .map(HEX::formatHex)
                .toList();
        byte[] canonical = AuditHash.canonical(record);
        return Optional.of(new InclusionProof(
                record.id(),
                seq,
                Base64.getEncoder().encodeToString(canonical),
                AuditHash.leafOf(canonical),
                path,
                checkpoint,
                key));
    }

    /**
     * The published key that signed {@code checkpoint}; with {@code trusted} given, only when the signature verifies
     * with the trusted key of that id and the store publishes that same key.
     */
    static SigningKey signingKeyOf(AuditChain chain, Checkpoint checkpoint, @Nullable Map<String, PublicKey> trusted) {
        SigningKey key = chain.signingKeys().stream()
                .filter(k -> k.keyId().equals(checkpoint.keyId()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "checkpoint " + checkpoint.treeSize() + " names unknown key " + checkpoint.keyId()));
        if (trusted != null) {
            PublicKey expected = trusted.get(checkpoint.keyId());
            if (expected == null
                    || !checkpoint.signedBy(expected)
                    || !Arrays.equals(key.decode().getEncoded(), expected.getEncoded())) {
                throw new IllegalStateException("the checkpoint of " + checkpoint.treeSize()
                        + " records is not signed by a key of the signing key file (" + checkpoint.keyId()
                        + "), so no proof is given against it; run airlock audit verify");
            }
        }
        return key;
    }

    /**
     * Checks the proof on its own; returns empty when it holds, or what is wrong. {@code trusted} is the key the
     * checker trusts (from the operator, not from the proof); null trusts the key in the proof.
     */
    public Optional<String> check(@Nullable PublicKey trusted) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(canonical);
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.of("the canonical record is not valid base64");
        }
        if (!AuditHash.leafOf(bytes).equals(leafHash)) {
            return Optional.of("the record does not hash to the leaf hash");
        }
        if (!recordId.equals(idIn(bytes))) {
            return Optional.of("the canonical record is not record " + recordId);
        }
        List<byte[]> nodes;
        try {
            nodes = path.stream().map(HEX::parseHex).toList();
        } catch (IllegalArgumentException e) {
            return Optional.of("the audit path is not hex");
        }
        if (!MerkleTree.verifyInclusion(
                HEX.parseHex(leafHash), seq - 1, checkpoint.treeSize(), nodes, HEX.parseHex(checkpoint.root()))) {
            return Optional.of("the audit path does not lead from leaf " + (seq - 1) + " to the checkpoint's root");
        }
        PublicKey key = trusted != null ? trusted : signingKey.decode();
        if (!checkpoint.keyId().equals(signingKey.keyId())) {
            return Optional.of(
                    "the checkpoint names key " + checkpoint.keyId() + ", the proof carries " + signingKey.keyId());
        }
        if (!checkpoint.signedBy(key)) {
            return Optional.of("the checkpoint's signature does not verify");
        }
        return Optional.empty();
    }
}
