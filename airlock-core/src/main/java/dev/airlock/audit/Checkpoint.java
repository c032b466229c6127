package dev.airlock.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A signed statement that the audit log had {@code treeSize} records, with this Merkle root and this chain head. An
 * inclusion proof is checked against a checkpoint; a checkpoint is checked against its signing key.
 *
 * <p>The signature is Ed25519 over the UTF-8 bytes of {@link #message()}:
 *
 * <pre>
 * airlock.checkpoint/2\n{treeSize}\n{root hex}\n{head hex}\n{signedAt, ISO-8601 UTC}\n{keyId}\n{previous}\n
 * </pre>
 *
 * <p>{@code previous} is the tree size of the checkpoint this one extends (0 for the first), so a checkpoint deleted
 * from the store shows as a gap. Checkpoints signed before they named it ({@code previous} null) use the first
 * format, {@code airlock.checkpoint/1\n} and the same lines without the last.
 *
 * @param treeSize how many records the log had (the Merkle tree's leaves, the chain's last position)
 * @param root the Merkle root over their leaf hashes (hex)
 * @param head the chain link of record {@code treeSize} (hex)
 * @param signedAt when it was signed
 * @param keyId the signing key's id
 * @param signature the Ed25519 signature, base64
 * @param previous the tree size of the checkpoint this one extends (0 for the first), or null in the first format
 */
public record Checkpoint(
        long treeSize,
        String root,
        String head,
        Instant signedAt,
        String keyId,
        @Nullable String signature,
        @Nullable Long previous) {
    public Checkpoint {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(signedAt, "signedAt");
        Objects.requireNonNull(keyId, "keyId");
    }

    /** A checkpoint in the first format (it does not name the one before it). */
    public Checkpoint(
            long treeSize, String root, String head, Instant signedAt, String keyId, @Nullable String signature) {
        this(treeSize, root, head, signedAt, keyId, signature, null);
    }

    /** The bytes the signature covers. */
    public byte[] message() {
        String lines = treeSize + "\n" + root + "\n" + head + "\n" + signedAt + "\n" + keyId + "\n";
        return (previous == null
                        ? "airlock.checkpoint/1\n" + lines
                        : "airlock.checkpoint/2\n" + lines + previous + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** True iff the signature is a valid Ed25519 signature of {@link #message()} by {@code key}. */
    public boolean signedBy(PublicKey key) {
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(message());
            return verifier.verify(Base64.getDecoder().decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }
}
