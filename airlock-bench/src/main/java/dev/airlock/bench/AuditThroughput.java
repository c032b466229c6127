package dev.airlock.bench;

import dev.airlock.audit.AuditChain;
import dev.airlock.audit.AuditSigner;
import dev.airlock.audit.ChainVerifier;
import dev.airlock.audit.Checkpointer;
import dev.airlock.audit.InclusionProof;
import dev.airlock.decision.Decision;
import dev.airlock.decision.DecisionIds;
import dev.airlock.decision.DecisionLog;
import dev.airlock.decision.Outcome;
import dev.airlock.decision.Principal;
import dev.airlock.decision.RequestKind;
import dev.airlock.decision.Role;
import dev.airlock.decision.StageNote;
import dev.airlock.decision.Usage;
import dev.airlock.store.Store;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Durable appends per second (many callers, group commit) and verified records per second (the whole chain
 * recomputed) on a store: the embedded SQLite by default, or the JDBC URL given.
 *
 * <p>Arguments: decisions (default 200000), concurrent callers (256), JDBC URL (a temp SQLite file), user, password.
 */
public final class AuditThroughput {
    private AuditThroughput() {}

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int callers = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        String url = args.length > 2
                ? args[2]
                : "jdbc:sqlite:" + Files.createTempDirectory("airlock-audit").resolve("audit.db");
        try (Store store = Store.open(url, args.length > 3 ? args[3] : null, args.length > 4 ? args[4] : null)) {
            // as a node does: every committed batch is sealed with the signing key in its own transaction
            AuditChain chain = store.auditChain();
            DecisionLog log = store.decisionLog();
            AuditSigner signer = AuditSigner.generate();
            chain.addSigningKey(signer.publicKey(Instant.now()));
            chain.sealWith(signer);
            List<Decision> decisions = new ArrayList<>(total);
            for (int i = 0; i < total; i++) {
                decisions.add(decision(i));
            }
            long start = System.nanoTime();
            try (var threads =
                    Executors.newFixedThreadPool(callers, Thread.ofVirtual().factory())) {
                List<Future<?>> done = new ArrayList<>(total);
                for (Decision d : decisions) {
                    done.add(threads.submit(() -> log.append(d)));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            }
            double appendSeconds = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            var unused = new Checkpointer(chain, signer, Clock.systemUTC())
                    .checkpoint()
                    .orElseThrow();
            double checkpointSeconds = (System.nanoTime() - start) / 1e9;
            // verification: three runs of what `airlock audit verify` does (the first with a cold JIT for the
            // scan), then one of `--deep`
            double[] verifySeconds = new double[3];
            ChainVerifier.Verification result = null;
            for (int run = 0; run < verifySeconds.length; run++) {
                start = System.nanoTime();
                result = ChainVerifier.verify(chain);
                verifySeconds[run] = (System.nanoTime() - start) / 1e9;
                if (!(result instanceof ChainVerifier.Verification.Intact)) {
                    throw new IllegalStateException("the log does not verify: " + result);
                }
            }
            start = System.nanoTime();
            var deep = ChainVerifier.verifyDeep(chain);
            double deepSeconds = (System.nanoTime() - start) / 1e9;
            Decision middle = decisions.get(total / 2);
            var link = chain.findLink(middle.id()).orElseThrow();
            start = System.nanoTime();
            var proof = InclusionProof.of(chain, link.record(), link.seq()).orElseThrow();
            double proofSeconds = (System.nanoTime() - start) / 1e9;
            if (proof.check(null).isPresent()) {
                throw new IllegalStateException("the proof does not check: " + proof.check(null));
            }
            System.out.printf("store %s%n", url.replaceAll("password=[^&]*", "password=***"));
            System.out.printf(
                    "appended %d decisions from %d callers in %.2f s: %.0f durable appends/s%n",
                    total, callers, appendSeconds, total / appendSeconds);
            System.out.printf(
                    "signed the first checkpoint over all %d records (Merkle root from scratch) in %.2f s%n",
                    total, checkpointSeconds);
            for (int run = 0; run < verifySeconds.length; run++) {
                System.out.printf(
                        "verify run %d: chain, Merkle roots and checkpoint in %.2f s: %.0f records/s (%s)%n",
                        run + 1, verifySeconds[run], total / verifySeconds[run], result);
            }
            System.out.printf(
                    "verify --deep (also every search column against its record) in %.2f s: %.0f records/s (%s)%n",
                    deepSeconds, total / deepSeconds, deep);
            System.out.printf("one inclusion proof against a %d-record checkpoint: %.3f s%n", total, proofSeconds);
        }
    }

    static Decision decision(int i) {
        return new Decision(
                DecisionIds.next(System.currentTimeMillis()),
                Instant.now(),
                new Principal("acme", "key-" + (i % 7), Role.APP),
                RequestKind.CHAT,
                "assistant",
                "7",
                "upstream",
                "gpt-upstream",
                false,
                new Outcome.Answered(),
                new Usage(120 + i % 50, 40 + i % 30),
                new BigDecimal("0.000042"),
                800 + i % 400,
                600 + i % 300,
                "ab".repeat(32),
                "cd".repeat(32),
                List.of(),
                List.of(new StageNote("guard_input", "pass", "")),
                null);
    }
}
