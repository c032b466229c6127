package dev.airlock.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.decision.Principal;
import dev.airlock.decision.Role;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link RunStore} must do: checkpoints, history in order, leases, pruning. */
public abstract class RunStoreContract {
    /** Has nanoseconds, to show Instants round-trip exactly. */
    private static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456789Z");

    protected abstract RunStore runs();

    static Run run(String id, String tenant, Instant at) {
        return new Run(
                id,
                tenant,
                new Principal(tenant, "k1", Role.APP),
                "loan",
                Run.Status.RUNNING,
                "{\"applicant_id\":\"A-1\"}",
                "A-1",
                null,
                "started",
                Run.Spent.NONE,
                Map.of(),
                "0af7651916cd43dd8448eb211c80319c",
                at,
                at,
                null,
                "node-a",
                at.plusSeconds(30));
    }

    private static String id() {
        return "run_" + UUID.randomUUID();
    }

    @Test
    void aRun_readsBackAsCreated() {
        Run run = run(id(), "acme", T0);
        runs().create(run);
        assertThat(runs().find(run.id())).contains(run);
        assertThat(runs().list("acme", 10)).contains(run);
        assertThat(runs().list("other", 10)).doesNotContain(run);
    }

    @Test
    void save_checkpointsOnlyFromTheExpectedStatus() {
        Run run = run(id(), "acme", T0);
        runs().create(run);
        Run spent = run.spending("research", 2, 120, new BigDecimal("0.000100000"));
        assertThat(runs().save(spent, Run.Status.RUNNING)).isTrue();
        Run waiting = spent.with(Run.Status.WAITING, "review", "needs an underwriter", T0.plusSeconds(1));
        assertThat(runs().save(waiting, Run.Status.RUNNING)).isTrue();
        assertThat(runs().find(run.id()).orElseThrow().spent()).isEqualTo(spent.spent());
        assertThat(runs().find(run.id()).orElseThrow().agents()).isEqualTo(spent.agents());
        assertThat(runs().find(run.id()).orElseThrow().pending()).isEqualTo("review");
        assertThat(runs().save(waiting.with(Run.Status.COMPLETED, null, "x", T0), Run.Status.RUNNING))
                .as("the run no longer runs")
                .isFalse();
        assertThat(runs().find(run.id()).orElseThrow().status()).isEqualTo(Run.Status.WAITING);
    }

    @Test
    void history_isNumberedInOrder() {
        Run run = run(id(), "acme", T0);
        runs().create(run);
        for (int i = 0; i < 3; i++) {
            runs().append(new RunEvent(
                    run.id(), 0, T0.plusSeconds(i), "step.completed", "s" + i, "d", "{}", "dec" + i));
        }
        var history = runs().events(run.id(), 0, 10);
        assertThat(history).extracting(RunEvent::seq).containsExactly(1L, 2L, 3L);
        assertThat(history.getFirst().at()).isEqualTo(T0);
        assertThat(history.getFirst().decisionId()).isEqualTo("dec0");
        assertThat(runs().events(run.id(), 2, 10)).extracting(RunEvent::step).containsExactly("s2");
    }

    @Test
    void claim_takesAnExpiredLeaseOrOnesOwn_neverALiveOne() {
        Run run = run(id(), "acme", T0);
        runs().create(run);
        assertThat(runs().claim(run.id(), "node-b", T0.plusSeconds(1), T0.plusSeconds(60)))
                .isFalse();
        assertThat(runs().claimable("node-b", T0.plusSeconds(1), 100)).doesNotContain(run.id());
        assertThat(runs().claimable("node-a", T0.plusSeconds(1), 100)).contains(run.id());
        assertThat(runs().claimable("node-b", T0.plusSeconds(31), 100)).contains(run.id());
        assertThat(runs().claim(run.id(), "node-b", T0.plusSeconds(31), T0.plusSeconds(90)))
                .isTrue();
        assertThat(runs().find(run.id()).orElseThrow().owner()).isEqualTo("node-b");
        assertThat(runs().claim(run.id(), "node-a", T0.plusSeconds(32), T0.plusSeconds(90)))
                .isFalse();
    }

    @Test
    void prune_deletesEndedRunsAndTheirHistory_only() {
        Run old = run(id(), "acme", T0);
        Run live = run(id(), "acme", T0);
        runs().create(old);
        runs().create(live);
        runs().append(new RunEvent(old.id(), 0, T0, "run.started", null, null, null, null));
        runs().save(old.with(Run.Status.COMPLETED, null, "done", T0.plusSeconds(5)), Run.Status.RUNNING);
        assertThat(runs().prune(T0.plusSeconds(10))).isEqualTo(1);
        assertThat(runs().find(old.id())).isEmpty();
        assertThat(runs().events(old.id(), 0, 10)).isEmpty();
        assertThat(runs().find(live.id())).isPresent();
    }
}
