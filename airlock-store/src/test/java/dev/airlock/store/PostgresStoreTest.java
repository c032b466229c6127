package dev.airlock.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.audit.ChainVerifier;
import dev.airlock.audit.Checkpointer;
import dev.airlock.audit.Progress;
import dev.airlock.decision.Outcome;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The store contract on PostgreSQL, each test in a schema of its own. Needs a server: see {@link TestPostgres};
 * without one every test is skipped, saying how to run them (or fails, when {@code CI} is set).
 */
class PostgresStoreTest extends StoreContract {

    @Override
    protected TestDatabase emptyDatabase() throws SQLException {
        return TestPostgres.fromEnvironment().freshSchema();
    }

    @Test
    void twoNodesAppendingToOneDatabase_keepOneUnbrokenAuditChain() throws Exception {
        try (Store otherNode = database().open();
                var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> appends = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                Store node = i % 2 == 0 ? store : otherNode;
                Instant at = Instant.parse("2026-03-01T10:00:00Z").plusMillis(i);
                appends.add(
                        threads.submit(() -> node.decisionLog().append(decision("acme", at, new Outcome.Answered()))));
            }
            for (Future<?> append : appends) {
                append.get();
            }
        }

        var signer = TestDatabase.SIGNER;
        var result = ChainVerifier.verify(
                store.auditChain(),
                Map.of(signer.keyId(), signer.publicKey(Instant.EPOCH).decode()),
                Map.of(signer.keyId(), signer.sealSecret()),
                new Progress());

        assertThat(result)
                .as("both nodes sealed their batches, which together cover the whole chain")
                .isEqualTo(new ChainVerifier.Verification.Intact(
                        200, ((ChainVerifier.Verification.Intact) result).head(), 0));
        assertThat(new Checkpointer(store.auditChain(), signer, Clock.systemUTC()).checkpoint())
                .hasValueSatisfying(c -> assertThat(c.treeSize()).isEqualTo(200));
    }
}
