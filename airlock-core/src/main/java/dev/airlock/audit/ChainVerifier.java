package dev.airlock.audit;

import java.util.Objects;

/**
 * Checks an audit chain from its first record: every record's content must hash to its stored link, every link must
 * follow from the one before, and positions must run 1, 2, 3, … without gaps. Reports the first position that fails.
 */
public final class ChainVerifier {

    /** The result of a verification. */
    public sealed interface Verification {
        /** Every record checked out. */
        record Intact(long records, String head) implements Verification {}

        /** The first record that does not; {@code seq} is where the chain breaks. */
        record Broken(long seq, String decisionId, String reason) implements Verification {}
    }

    private ChainVerifier() {}

    public static Verification verify(AuditChain chain) {
        var state = new State();
        try {
            chain.forEachLink(state::check);
        } catch (BrokenAt broken) {
            return broken.verification;
        }
        return new Verification.Intact(state.expectedSeq - 1, state.previous);
    }

    private static final class State {
        long expectedSeq = 1;
        String previous = AuditHash.GENESIS;

        void check(ChainLink link) {
            String id = link.decision().id();
            if (link.seq() != expectedSeq) {
                String why = link.seq() > expectedSeq
                        ? "records " + expectedSeq + ".." + (link.seq() - 1) + " are missing"
                        : "position " + link.seq() + " appears again or out of order";
                throw new BrokenAt(new Verification.Broken(expectedSeq, id, why));
            }
            if (!Objects.equals(link.previousHash(), previous)) {
                throw new BrokenAt(new Verification.Broken(
                        link.seq(), id, "its link to the previous record does not match that record"));
            }
            String expected = AuditHash.link(previous, AuditHash.leaf(link.decision()));
            if (!expected.equals(link.hash())) {
                throw new BrokenAt(new Verification.Broken(
                        link.seq(), id, "its content does not match its hash (the record was altered)"));
            }
            previous = link.hash();
            expectedSeq++;
        }
    }

    /** Ends the scan at the first break. */
    private static final class BrokenAt extends RuntimeException {
        private final transient Verification.Broken verification;

        BrokenAt(Verification.Broken verification) {
            super(null, null, false, false);
            this.verification = verification;
        }
    }
}
