package dev.airlock.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {
    private static final HexFormat HEX = HexFormat.of();

    // The Certificate Transparency test vectors (RFC 6962 tree hashing): leaf inputs and the roots of their prefixes.
    private static final String[] CT_LEAVES = {
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"
    };
    private static final String[] CT_ROOTS = {
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"
    };

    @Test
    void rootsMatchTheCertificateTransparencyVectors() {
        List<byte[]> leaves = new ArrayList<>();
        for (String input : CT_LEAVES) {
            leaves.add(HEX.parseHex(AuditHash.leafOf(HEX.parseHex(input))));
        }
        var frontier = new MerkleTree.Frontier();
        for (int n = 1; n <= leaves.size(); n++) {
            frontier.append(leaves.get(n - 1));
            assertThat(HEX.formatHex(MerkleTree.root(n, leaves.iterator())))
                    .as("root of %d", n)
                    .isEqualTo(CT_ROOTS[n - 1]);
            assertThat(HEX.formatHex(frontier.root()))
                    .as("frontier root of %d", n)
                    .isEqualTo(CT_ROOTS[n - 1]);
        }
    }

    @Test
    void theEmptyTreeHashesTheEmptyString() {
        assertThat(HEX.formatHex(MerkleTree.root(0, List.<byte[]>of().iterator())))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void aFrontierResumedFromStorageGrowsTheSameTree() {
        List<byte[]> leaves = leaves(77);
        var first = new MerkleTree.Frontier();
        leaves.subList(0, 45).forEach(first::append);
        var resumed = new MerkleTree.Frontier(first.size(), first.roots());
        leaves.subList(45, 77).forEach(resumed::append);
        assertThat(resumed.root()).isEqualTo(MerkleTree.root(77, leaves.iterator()));
        assertThatThrownBy(() -> new MerkleTree.Frontier(45, first.roots().subList(0, 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyLeafOfEveryTreeUpTo40HasAProofThatVerifies() {
        List<byte[]> leaves = leaves(40);
        for (int size = 1; size <= 40; size++) {
            byte[] root = MerkleTree.root(size, leaves.iterator());
            for (int index = 0; index < size; index++) {
                List<byte[]> path = MerkleTree.inclusionPath(index, size, leaves.iterator());
                assertThat(MerkleTree.verifyInclusion(leaves.get(index), index, size, path, root))
                        .as("leaf %d of %d", index, size)
                        .isTrue();
            }
        }
    }

    @Test
    void proofsFromSubtreeHashes_matchProofsFromTheLeaves_acrossBlockBoundaries() {
        List<byte[]> leaves = leaves(3 * MerkleTree.BLOCK + 77);
        MerkleTree.Subtrees fromList = (start, n) -> MerkleTree.root(leaves.subList((int) start, (int) (start + n)));
        for (int size : new int[] {1, 2, 1023, 1024, 1025, 2048, 2049, 3 * 1024 + 77}) {
            byte[] root = MerkleTree.root(size, leaves.iterator());
            for (int index : new int[] {0, size / 2, size - 1, Math.min(size - 1, 1024)}) {
                List<byte[]> streamed = MerkleTree.inclusionPath(index, size, leaves.iterator());
                List<byte[]> fromSubtrees = MerkleTree.inclusionPath(index, size, fromList);
                assertThat(fromSubtrees).as("leaf %d of %d", index, size).containsExactlyElementsOf(streamed);
                assertThat(MerkleTree.verifyInclusion(leaves.get(index), index, size, fromSubtrees, root))
                        .isTrue();
            }
        }
    }

    @Test
    void mutatedProofsFail() {
        List<byte[]> leaves = leaves(21);
        int size = 21;
        byte[] root = MerkleTree.root(size, leaves.iterator());
        for (int index = 0; index < size; index++) {
            List<byte[]> path = MerkleTree.inclusionPath(index, size, leaves.iterator());
            byte[] leaf = leaves.get(index);
            int other = (index + 1) % size;
            // wrong leaf, wrong index, wrong root (the tree size is bound by the checkpoint's signature: a size with
            // the same path shape yields the same root, as in RFC 9162)
            assertThat(MerkleTree.verifyInclusion(leaves.get(other), index, size, path, root))
                    .isFalse();
            assertThat(MerkleTree.verifyInclusion(leaf, other, size, path, root))
                    .isFalse();
            assertThat(MerkleTree.verifyInclusion(leaf, index, size, path, flip(root, 0)))
                    .isFalse();
            assertThat(MerkleTree.verifyInclusion(leaf, index, size, path, null))
                    .isFalse();
            assertThat(MerkleTree.verifyInclusion(leaf, size, size, path, root)).isFalse();
            assertThat(MerkleTree.verifyInclusion(leaf, -1, size, path, root)).isFalse();
            // a bit flipped anywhere in the leaf or any path element
            for (int bit = 0; bit < 256; bit += 37) {
                assertThat(MerkleTree.verifyInclusion(flip(leaf, bit), index, size, path, root))
                        .isFalse();
                for (int i = 0; i < path.size(); i++) {
                    List<byte[]> mutated = new ArrayList<>(path);
                    mutated.set(i, flip(path.get(i), bit));
                    assertThat(MerkleTree.verifyInclusion(leaf, index, size, mutated, root))
                            .as("bit %d of node %d, leaf %d", bit, i, index)
                            .isFalse();
                }
            }
            // truncated, extended, reordered, short nodes
            assertThat(MerkleTree.verifyInclusion(leaf, index, size, path.subList(0, path.size() - 1), root))
                    .isFalse();
            List<byte[]> extended = new ArrayList<>(path);
            extended.add(root);
            assertThat(MerkleTree.verifyInclusion(leaf, index, size, extended, root))
                    .isFalse();
            if (path.size() > 1) {
                List<byte[]> swapped = new ArrayList<>(path);
                swapped.set(0, path.get(1));
                swapped.set(1, path.get(0));
                assertThat(MerkleTree.verifyInclusion(leaf, index, size, swapped, root))
                        .isFalse();
            }
            List<byte[]> shortNode = new ArrayList<>(path);
            shortNode.set(0, new byte[31]);
            assertThat(MerkleTree.verifyInclusion(leaf, index, size, shortNode, root))
                    .isFalse();
        }
    }

    @Test
    void aProofAsksForALeafInsideTheTree() {
        List<byte[]> leaves = leaves(3);
        assertThatThrownBy(() -> MerkleTree.inclusionPath(3, 3, leaves.iterator()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not in a tree of 3");
    }

    private static List<byte[]> leaves(int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> {
                    MessageDigest md = Sha256.digest();
                    md.update((byte) 0);
                    md.update(("record " + i).getBytes(StandardCharsets.UTF_8));
                    return md.digest();
                })
                .toList();
    }

    private static byte[] flip(byte[] hash, int bit) {
        byte[] copy = hash.clone();
        copy[bit / 8 % copy.length] ^= (byte) (1 << (bit % 8));
        return copy;
    }

    @Test
    void consistencyProofs_betweenEveryPairOfTreeSizes_check() {
        List<byte[]> leaves = leaves(70);
        MerkleTree.Subtrees subtrees =
                (start, size) -> MerkleTree.root(leaves.subList((int) start, (int) (start + size)));
        for (int n = 1; n <= leaves.size(); n++) {
            byte[] second = MerkleTree.root(leaves.subList(0, n));
            for (int m = 1; m <= n; m++) {
                byte[] first = MerkleTree.root(leaves.subList(0, m));
                List<byte[]> path = MerkleTree.consistencyPath(m, n, subtrees);
                assertThat(MerkleTree.verifyConsistency(m, n, first, second, path))
                        .as("%d -> %d", m, n)
                        .isTrue();
                assertThat(path.size())
                        .as("a path of O(log n) hashes")
                        .isLessThanOrEqualTo(2 * (64 - Long.numberOfLeadingZeros(n)));
            }
        }
    }

    @Test
    void consistencyProofs_thatAreMutatedOrForAnotherTree_fail() {
        List<byte[]> leaves = leaves(21);
        MerkleTree.Subtrees subtrees =
                (start, size) -> MerkleTree.root(leaves.subList((int) start, (int) (start + size)));
        byte[] first = MerkleTree.root(leaves.subList(0, 6));
        byte[] second = MerkleTree.root(leaves);
        List<byte[]> path = MerkleTree.consistencyPath(6, 21, subtrees);
        assertThat(MerkleTree.verifyConsistency(6, 21, first, second, path)).isTrue();

        for (int i = 0; i < path.size(); i++) {
            List<byte[]> flipped = new ArrayList<>(path);
            byte[] node = flipped.get(i).clone();
            node[7] ^= 0x10;
            flipped.set(i, node);
            assertThat(MerkleTree.verifyConsistency(6, 21, first, second, flipped))
                    .as("bit flipped in node %d", i)
                    .isFalse();
        }
        assertThat(MerkleTree.verifyConsistency(6, 21, first, second, path.subList(0, path.size() - 1)))
                .as("truncated")
                .isFalse();
        List<byte[]> extended = new ArrayList<>(path);
        extended.add(first);
        assertThat(MerkleTree.verifyConsistency(6, 21, first, second, extended))
                .as("extended")
                .isFalse();
        assertThat(MerkleTree.verifyConsistency(5, 21, first, second, path))
                .as("other first size")
                .isFalse();
        assertThat(MerkleTree.verifyConsistency(6, 16, first, second, path))
                .as("other second size")
                .isFalse();
        // (the sizes themselves are vouched for by the signed checkpoints, not by the path: RFC 9162 paths for 21 and
        // 20 leaves can coincide)
        // a history rewritten at leaf 3: its tree of 6 differs from the one the first root signed
        List<byte[]> rewritten = new ArrayList<>(leaves);
        rewritten.set(3, leaves.get(4));
        MerkleTree.Subtrees forged =
                (start, size) -> MerkleTree.root(rewritten.subList((int) start, (int) (start + size)));
        assertThat(MerkleTree.verifyConsistency(
                        6, 21, first, MerkleTree.root(rewritten), MerkleTree.consistencyPath(6, 21, forged)))
                .as("the new tree does not extend the old one")
                .isFalse();
        assertThat(MerkleTree.verifyConsistency(6, 6, first, first, List.of())).isTrue();
        assertThat(MerkleTree.verifyConsistency(6, 6, first, second, List.of())).isFalse();
    }
}
