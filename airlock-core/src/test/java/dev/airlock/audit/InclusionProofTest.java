package dev.airlock.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InclusionProofTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final Instant AT = Instant.parse("2026-11-23T10:00:00Z");

    private final AuditSigner signer = AuditSigner.generate();

    @Test
    void aProofOfASignedCheckpointChecksOutOnItsOwn() {
        assertThat(proof(5, 13).check(null)).isEmpty();
        assertThat(proof(5, 13).check(signer.publicKey(AT).decode())).isEmpty();
    }

    @Test
    void aForgedOrMutatedProofFailsWithTheReason() {
        InclusionProof good = proof(5, 13);
        AuditEvent other = event(6);
        byte[] otherCanonical = AuditHash.canonical(other);

        var wrongRecord = new InclusionProof(
                good.recordId(),
                good.seq(),
                Base64.getEncoder().encodeToString(otherCanonical),
                good.leafHash(),
                good.path(),
                good.checkpoint(),
                good.signingKey());
        assertThat(wrongRecord.check(null)).contains("the record does not hash to the leaf hash");

        var relabelled = new InclusionProof(
                "e6", good.seq(), good.canonical(), good.leafHash(), good.path(), good.checkpoint(), good.signingKey());
        assertThat(relabelled.check(null)).contains("the canonical record is not record e6");

        var wrongLeaf = new InclusionProof(
                other.id(),
                good.seq(),
                Base64.getEncoder().encodeToString(otherCanonical),
                AuditHash.leafOf(otherCanonical),
                good.path(),
                good.checkpoint(),
                good.signingKey());
        assertThat(wrongLeaf.check(null)).get().asString().contains("does not lead from leaf");

        var wrongIndex = new InclusionProof(
                good.recordId(),
                good.seq() + 1,
                good.canonical(),
                good.leafHash(),
                good.path(),
                good.checkpoint(),
                good.signingKey());
        assertThat(wrongIndex.check(null)).get().asString().contains("does not lead from leaf");

        List<String> flipped = new ArrayList<>(good.path());
        byte[] node = HEX.parseHex(flipped.get(1));
        node[7] ^= 0x20;
        flipped.set(1, HEX.formatHex(node));
        assertThat(withPath(good, flipped).check(null)).get().asString().contains("does not lead");
        assertThat(withPath(good, good.path().subList(0, good.path().size() - 1))
                        .check(null))
                .get()
                .asString()
                .contains("does not lead");
        List<String> extended = new ArrayList<>(good.path());
        extended.add(good.path().getFirst());
        assertThat(withPath(good, extended).check(null)).get().asString().contains("does not lead");

        Checkpoint c = good.checkpoint();
        var otherRoot = new InclusionProof(
                good.recordId(),
                good.seq(),
                good.canonical(),
                good.leafHash(),
                good.path(),
                new Checkpoint(c.treeSize(), "00".repeat(32), c.head(), c.signedAt(), c.keyId(), c.signature()),
                good.signingKey());
        assertThat(otherRoot.check(null)).get().asString().contains("does not lead");
    }

    @Test
    void aCheckpointSignedByAnotherKeyIsRefused() {
        InclusionProof good = proof(2, 4);
        AuditSigner impostor = AuditSigner.generate();
        Checkpoint c = good.checkpoint();
        Checkpoint forged = impostor.sign(c.treeSize(), c.root(), c.head(), c.signedAt());
        // the impostor's checkpoint, carried with the real key id
        var relabelled = new InclusionProof(
                good.recordId(),
                good.seq(),
                good.canonical(),
                good.leafHash(),
                good.path(),
                new Checkpoint(c.treeSize(), c.root(), c.head(), c.signedAt(), c.keyId(), forged.signature()),
                good.signingKey());
        assertThat(relabelled.check(null)).contains("the checkpoint's signature does not verify");
        // a proof that carries the impostor's own key passes on its own, but not against the key the checker trusts
        var selfSigned = new InclusionProof(
                good.recordId(),
                good.seq(),
                good.canonical(),
                good.leafHash(),
                good.path(),
                forged,
                impostor.publicKey(AT));
        assertThat(selfSigned.check(null)).isEmpty();
        assertThat(selfSigned.check(signer.publicKey(AT).decode()))
                .contains("the checkpoint's signature does not verify");
    }

    @Test
    void aTamperedCheckpointFieldBreaksTheSignature() {
        Checkpoint c = signer.sign(9, "ab".repeat(32), "cd".repeat(32), AT);
        var key = signer.publicKey(AT).decode();
        assertThat(c.signedBy(key)).isTrue();
        assertThat(new Checkpoint(10, c.root(), c.head(), c.signedAt(), c.keyId(), c.signature()).signedBy(key))
                .isFalse();
        assertThat(new Checkpoint(9, c.root(), c.head(), AT.plusSeconds(1), c.keyId(), c.signature()).signedBy(key))
                .isFalse();
        assertThat(new Checkpoint(9, c.root(), c.head(), c.signedAt(), c.keyId(), "not base64!").signedBy(key))
                .isFalse();
    }

    /** The proof of record {@code seq} in a log of {@code size} events, checkpointed at its end. */
    private InclusionProof proof(long seq, int size) {
        List<AuditEvent> events = new ArrayList<>();
        List<byte[]> leaves = new ArrayList<>();
        var frontier = new MerkleTree.Frontier();
        for (int i = 1; i <= size; i++) {
            AuditEvent e = event(i);
            events.add(e);
            byte[] leaf = HEX.parseHex(AuditHash.leaf(e));
            leaves.add(leaf);
            frontier.append(leaf);
        }
        Checkpoint checkpoint = signer.sign(size, HEX.formatHex(frontier.root()), "11".repeat(32), AT);
        byte[] canonical = AuditHash.canonical(events.get((int) seq - 1));
        List<String> path = MerkleTree.inclusionPath(seq - 1, size, leaves.iterator()).stream()
                .map(HEX::formatHex)
                .toList();
        return new InclusionProof(
                "e" + seq,
                seq,
                Base64.getEncoder().encodeToString(canonical),
                AuditHash.leafOf(canonical),
                path,
                checkpoint,
                signer.publicKey(AT));
    }

    private static InclusionProof withPath(InclusionProof p, List<String> path) {
        return new InclusionProof(
                p.recordId(), p.seq(), p.canonical(), p.leafHash(), path, p.checkpoint(), p.signingKey());
    }

    private static AuditEvent event(int i) {
        return new AuditEvent(
                "e" + i, AT.plusSeconds(i), "acme", "cli:ops", "key.created", "k" + i, Map.of("n", "" + i));
    }
}
