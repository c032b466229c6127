package dev.airlock.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * What every {@link AuditChain} must do: the store on SQLite and PostgreSQL and {@link InMemoryAuditChain} all pass
 * it. Records reach the chain here as administrative events; Decisions reach it through the decision log and are
 * covered with erasure in {@link ErasureContract}. Tampering with stored rows is tested on the store, which has rows.
 */
public abstract class AuditChainContract {
    private static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456789Z");
    private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);
    private static final AuditSigner SIGNER = AuditSigner.generate();

    /** An empty audit chain that only the calling test uses. */
    protected abstract AuditChain chain();

    /**
     * The same chain as read by a store opened again on the same data, for stores that keep it across a restart; an
     * in-memory chain returns itself.
     */
    protected AuditChain reopened() {
        return chain();
    }

    private static AuditEvent event(@Nullable String tenant, Instant at, String action) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("role", "app");
        details.put("name", "loan-service");
        return new AuditEvent(UUID.randomUUID().toString(), at, tenant, "cli:ops", action, "k1", details);
    }

    private List<AuditEvent> append(int count) {
        List<AuditEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            AuditEvent e = event("acme", T0.plusSeconds(i), "key.created");
            chain().appendEvent(e);
            events.add(e);
        }
        return events;
    }

    private List<ChainLink> links(AuditChain chain) {
        List<ChainLink> links = new ArrayList<>();
        chain.forEachLink(links::add);
        return links;
    }

    /** The key the chain is sealed with, published in it. */
    private Map<String, PublicKey> sealWithPublishedKey() {
        chain().addSigningKey(SIGNER.publicKey(T0));
        chain().sealWith(SIGNER);
        return Map.of(SIGNER.keyId(), SIGNER.publicKey(T0).decode());
    }

    @Test
    void anEmptyChain_holdsNothing_andVerifiesIntact() {
        assertThat(chain().chainSize()).isZero();
        assertThat(links(chain())).isEmpty();
        assertThat(chain().recordIdAt(1)).isEmpty();
        assertThat(chain().linkAt(1)).isEmpty();
        assertThat(chain().latestCheckpoint()).isEmpty();
        assertThat(chain().checkpoints()).isEmpty();
        assertThat(chain().blockCount()).isZero();
        assertThat(chain().seals(0)).isEmpty();
        assertThat(ChainVerifier.verify(chain()))
                .isEqualTo(new ChainVerifier.Verification.Intact(0, AuditHash.GENESIS, 0));
    }

    @Test
    void appendedEvents_areHeldInOrder_eachLinkedToTheOneBefore() {
        List<AuditEvent> events = append(3);

        assertThat(chain().chainSize()).isEqualTo(3);
        List<ChainLink> links = links(chain());
        assertThat(links).extracting(ChainLink::seq).containsExactly(1L, 2L, 3L);
        assertThat(links).extracting(ChainLink::record).containsExactlyElementsOf(events);
        String previous = AuditHash.GENESIS;
        for (ChainLink link : links) {
            String leaf = AuditHash.leaf(link.record());
            assertThat(link.leafHash()).isEqualTo(leaf);
            assertThat(link.previousHash()).isEqualTo(previous);
            assertThat(link.hash()).isEqualTo(AuditHash.link(previous, leaf));
            assertThat(chain().linkAt(link.seq())).contains(link.hash());
            assertThat(chain().recordIdAt(link.seq())).contains(link.record().id());
            assertThat(chain().positionOf(link.record().id())).contains(link.seq());
            previous = link.hash();
        }
        assertThat(chain().recordIdAt(0)).isEmpty();
        assertThat(chain().recordIdAt(4)).isEmpty();
        assertThat(chain().linkAt(4)).isEmpty();
        assertThat(chain().positionOf("ev-unknown")).isEmpty();
    }

    @Test
    void findLink_returnsTheRecordAsTheChainHoldsIt() {
        List<AuditEvent> events = append(2);

        ChainLink second = links(chain()).get(1);
        assertThat(chain().findLink(events.get(1).id())).contains(second);
        assertThat(second.indexed()).isEqualTo(events.get(1));
        assertThat(chain().findLink("ev-unknown")).isEmpty();
    }

    @Test
    void scanStored_handsTheCanonicalBytesOfARange_inOrder_withLinksOnlyWhereAsked() {
        List<AuditEvent> events = append(4);
        List<Long> seen = new ArrayList<>();

        chain().scanStored(1, 3, new AuditChain.StoredRecords() {
            @Override
            public boolean wantsLink(long seq) {
                return seq == 3;
            }

            @Override
            public void visit(long seq, byte[] canonical, byte @Nullable [] link, byte @Nullable [] content) {
                seen.add(seq);
                assertThat(canonical).isEqualTo(AuditHash.canonical(events.get((int) seq - 1)));
                if (seq == 3) {
                    assertThat(link).isNotNull();
                    assertThat(new String(link, StandardCharsets.US_ASCII))
                            .isEqualTo(chain().linkAt(3).orElseThrow());
                } else {
                    assertThat(link).isNull();
                }
                assertThat(content).as("an event keeps no content").isNull();
            }
        });

        assertThat(seen).containsExactly(2L, 3L);
    }

    @Test
    void leafHashes_areHashedFromTheStoredRecords_inOrder() {
        List<AuditEvent> events = append(3);
        List<String> leaves = new ArrayList<>();

        chain().leafHashes(1, 3).forEachRemaining(l -> leaves.add(HexFormat.of().formatHex(l)));

        assertThat(leaves).containsExactly(AuditHash.leaf(events.get(1)), AuditHash.leaf(events.get(2)));
    }

    @Test
    void searchEvents_findsATenantsOwnAndInstallationEvents_inATimeRange_inChainOrder_untilTheVisitorStops() {
        AuditEvent acme = event("acme", T0, "key.created");
        AuditEvent installation = event(null, T0.plusSeconds(1), "signing_key.rotated");
        AuditEvent globex = event("globex", T0.plusSeconds(2), "key.created");
        AuditEvent acmeLater = event("acme", T0.plusSeconds(3), "key.revoked");
        for (AuditEvent e : List.of(acme, installation, globex, acmeLater)) {
            chain().appendEvent(e);
        }

        assertThat(search("acme", null, null)).containsExactly(acme, installation, acmeLater);
        assertThat(search(null, null, null)).containsExactly(acme, installation, globex, acmeLater);
        assertThat(search("acme", T0.plusSeconds(1), T0.plusSeconds(3)))
                .as("from inclusive, to exclusive")
                .containsExactly(installation);
        List<AuditEvent> first = new ArrayList<>();
        chain().searchEvents("acme", null, null, e -> {
            first.add(e);
            return false;
        });
        assertThat(first).containsExactly(acme);
    }

    private List<AuditEvent> search(@Nullable String tenant, @Nullable Instant from, @Nullable Instant to) {
        List<AuditEvent> found = new ArrayList<>();
        chain().searchEvents(tenant, from, to, found::add);
        return found;
    }

    @Test
    void appendedEvents_andCheckpoints_surviveReopening() {
        Map<String, PublicKey> keys = sealWithPublishedKey();
        List<AuditEvent> events = append(3);
        Checkpoint checkpoint =
                new Checkpointer(chain(), SIGNER, CLOCK).checkpoint().orElseThrow();

        AuditChain again = reopened();

        assertThat(again.chainSize()).isEqualTo(3);
        assertThat(links(again)).extracting(ChainLink::record).containsExactlyElementsOf(events);
        assertThat(again.checkpoints()).containsExactly(checkpoint);
        assertThat(ChainVerifier.verify(again, keys))
                .isEqualTo(new ChainVerifier.Verification.Intact(3, checkpoint.head(), 1));
    }

    @Test
    void sealing_coversEveryRecordAppendedSince_withLinksThatMatchTheChain() {
        sealWithPublishedKey();
        append(3);

        List<Seal> seals = chain().seals(0);
        assertThat(seals)
                .isNotEmpty()
                .allSatisfy(s -> assertThat(s.madeWith(SIGNER.sealSecret())).isTrue());
        assertThat(seals.getFirst().first()).isEqualTo(1);
        assertThat(seals.getFirst().previous()).isEqualTo(AuditHash.GENESIS);
        assertThat(seals.getLast().last()).isEqualTo(3);
        assertThat(seals.getLast().head()).isEqualTo(chain().linkAt(3).orElseThrow());
        for (int i = 1; i < seals.size(); i++) {
            assertThat(seals.get(i).first()).isEqualTo(seals.get(i - 1).last() + 1);
            assertThat(seals.get(i).previous()).isEqualTo(seals.get(i - 1).head());
        }
        assertThat(chain().seals(2))
                .as("only seals reaching beyond position 2")
                .allSatisfy(s -> assertThat(s.last()).isGreaterThan(2))
                .isNotEmpty();
        assertThat(chain().seals(3)).isEmpty();
    }

    @Test
    void checkpoints_signedOverSealedRecords_areKeptOncePerSize_largestLatest_andTheChainVerifies() {
        Map<String, PublicKey> keys = sealWithPublishedKey();
        var checkpointer = new Checkpointer(chain(), SIGNER, CLOCK);
        append(2);
        Checkpoint first = checkpointer.checkpoint().orElseThrow();
        append(1);
        Checkpoint second = checkpointer.checkpoint().orElseThrow();

        assertThat(chain().checkpoints()).containsExactly(first, second);
        AuditChain.StoredCheckpoint latest = chain().latestCheckpoint().orElseThrow();
        assertThat(latest.checkpoint()).isEqualTo(second);
        assertThat(latest.frontierMatches()).isTrue();
        assertThat(chain().addCheckpoint(second, latest.frontier()))
                .as("a checkpoint of the same size exists")
                .isFalse();
        assertThat(chain().checkpoints()).hasSize(2);
        assertThat(checkpointer.checkpoint()).as("nothing new to sign").isEmpty();
        assertThat(ChainVerifier.verify(chain(), keys))
                .isEqualTo(new ChainVerifier.Verification.Intact(3, second.head(), 2));
    }

    @Test
    void signingKeys_areListedOldestFirst_andANewKeyRetiresTheOnesBefore() {
        AuditSigner older = AuditSigner.generate();
        AuditSigner newer = AuditSigner.generate();
        chain().addSigningKey(older.publicKey(T0));
        chain().addSigningKey(newer.publicKey(T0.plusSeconds(60)));

        assertThat(chain().signingKeys()).extracting(SigningKey::keyId).containsExactly(older.keyId(), newer.keyId());
        assertThat(chain().signingKeys().get(0).retiredAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(chain().signingKeys().get(1).retiredAt()).isNull();
    }

    @Test
    void blockRoots_areStoredOnceFromTheirIndex_andReadByRange() {
        byte[] a = root(1);
        byte[] b = root(2);
        byte[] c = root(3);
        chain().addBlockRoots(0, List.of(a, b));
        chain().addBlockRoots(1, List.of(root(9), c));

        assertThat(chain().blockCount()).isEqualTo(3);
        assertThat(chain().blockRoots(0, 3)).containsExactly(a, b, c);
        assertThat(chain().blockRoots(1, 2))
                .as("a stored root is never replaced")
                .containsExactly(b);
    }

    private static byte[] root(int n) {
        byte[] root = new byte[32];
        root[31] = (byte) n;
        return root;
    }
}
