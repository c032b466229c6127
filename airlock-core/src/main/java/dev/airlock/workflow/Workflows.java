package dev.airlock.workflow;

import dev.airlock.audit.AdminAction;
import dev.airlock.audit.AdminEvents;
import dev.airlock.decision.DecisionIds;
import dev.airlock.decision.Principal;
import dev.airlock.pipeline.Pipeline;
import dev.airlock.policy.Policies;
import dev.airlock.time.Time;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workflow runs as use cases, the same for HTTP, CLI and the embedded Java API: start a run, read it and its history,
 * approve or reject the step it waits on, cancel it, take over runs whose node stopped, prune ended runs. Runs
 * execute on virtual threads of this node; their state lives in the {@link RunStore}, so any node can answer for any
 * run.
 *
 * <pre>{@code
 * Workflows.Result r = workflows.start(principal, "loan-application", Map.of("applicant_id", "A-1001"), null);
 * if (r instanceof Workflows.Result.Started s) { ... s.run().id() ... }
 * }</pre>
 */
public final class Workflows implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Workflows.class);

    /** What a runner needs from the node. */
    record Engine(
            RunStore store,
            Pipeline pipeline,
            Policies policies,
            ToolTransport transport,
            PassageSearch search,
            Time time,
            String node,
            Duration lease) {}

    private final Map<String, Workflow> declared;
    private final Engine engine;
    private final AdminEvents audit;
    private final ExecutorService runs = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<String> active = ConcurrentHashMap.newKeySet();

    public Workflows(
            Map<String, Workflow> declared,
            RunStore store,
            Pipeline pipeline,
            Policies policies,
            ToolTransport transport,
            PassageSearch search,
            AdminEvents audit,
            Time time,
            String node,
            Duration lease) {
        this.declared = Map.copyOf(declared);
        this.engine = new Engine(store, pipeline, policies, transport, search, time, node, lease);
        this.audit = audit;
    }

    /** The outcome of a use case. */
    public sealed interface Result {
        record Started(Run run) implements Result {}

        record Changed(Run run) implements Result {}

        record NotFound(String what) implements Result {}

        /** The run is not in a state that allows it (e.g. approving a run that does not wait). */
        record Conflict(Run run, String reason) implements Result {}

        record Invalid(String field, String reason) implements Result {}
    }

    public Map<String, Workflow> declared() {
        return declared;
    }

    /** Starts a run of a declared workflow for the principal's tenant; it runs on this node. */
    public Result start(Principal who, String workflow, String inputJson, @Nullable String subject) {
        Workflow flow = declared.get(workflow);
        if (flow == null) {
            return new Result.NotFound("workflow '" + workflow + "' is not declared; declared: " + declared.keySet());
        }
        Map<String, Object> input = Runner.readObject(inputJson);
        if (input.isEmpty() && !inputJson.strip().equals("{}")) {
            return new Result.Invalid("input", "expected a JSON object");
        }
        Instant now = now();
        String id = "run_" + DecisionIds.next(now.toEpochMilli());
        byte[] trace = new byte[16];
        ThreadLocalRandom.current().nextBytes(trace);
        Run run = new Run(
                id,
                who.tenant(),
                who,
                workflow,
                Run.Status.RUNNING,
                Runner.write(input),
                subject,
                null,
                "started by key " + who.keyId(),
                Run.Spent.NONE,
                Map.of(),
                HexFormat.of().formatHex(trace),
                now,
                now,
                null,
                engine.node(),
                now.plus(engine.lease()));
        engine.store().create(run);
        engine.store()
                .append(new RunEvent(
                        id,
                        0,
                        now,
                        "run.started",
                        null,
                        "workflow " + workflow + " by key " + who.keyId(),
                        run.input(),
                        null));
        execute(run);
        return new Result.Started(run);
    }

    /** The run, when it belongs to the tenant. */
    public Optional<Run> run(String tenant, String runId) {
        return engine.store().find(runId).filter(r -> r.tenant().equals(tenant));
    }

    public List<Run> runs(String tenant, int limit) {
        return engine.store().list(tenant, limit);
    }

    /** The run's history after {@code afterSeq}. */
    public List<RunEvent> history(String runId, long afterSeq, int limit) {
        return engine.store().events(runId, afterSeq, limit);
    }

    /** Approves the step the run waits on; the run continues on this node. Audited. */
    public Result approve(Principal who, String actor, String runId, @Nullable String note) {
        return decide(who, actor, runId, note, true);
    }

    /** Rejects the step the run waits on; the run ends {@code rejected} and the step is never executed. Audited. */
    public Result reject(Principal who, String actor, String runId, @Nullable String note) {
        return decide(who, actor, runId, note, false);
    }

    private Result decide(Principal who, String actor, String runId, @Nullable String note, boolean granted) {
        Optional<Run> found = run(who.tenant(), runId);
        if (found.isEmpty()) {
            return new Result.NotFound("run '" + runId + "'");
        }
        Run run = found.get();
        String step = run.pending();
        if (run.status() != Run.Status.WAITING || step == null) {
            return new Result.Conflict(
                    run, "run '" + runId + "' is " + run.status().id() + ", not waiting for approval");
        }
        Instant now = now();
        String why = (granted ? "approved" : "rejected") + " by " + actor + (note == null ? "" : ": " + note);
        Run next = granted
                ? run.with(Run.Status.RUNNING, null, "step " + step + " " + why, now)
                        .owned(engine.node(), now.plus(engine.lease()))
                : run.with(Run.Status.REJECTED, null, "step " + step + " " + why, now);
        if (granted) {
            active.add(runId);
        }
        if (!engine.store().save(next, Run.Status.WAITING)) {
            active.remove(runId);
            Run now2 = engine.store().find(runId).orElse(run);
            return new Result.Conflict(
                    now2,
                    "run '" + runId + "' was decided meanwhile; it is "
                            + now2.status().id());
        }
        engine.store()
                .append(new RunEvent(
                        runId, 0, now, granted ? "approval.granted" : "approval.rejected", step, why, null, null));
        if (!granted) {
            engine.store().append(new RunEvent(runId, 0, now, "run.rejected", null, next.detail(), null, null));
        }
        audit.record(
                granted ? AdminAction.WORKFLOW_STEP_APPROVED : AdminAction.WORKFLOW_STEP_REJECTED,
                who.tenant(),
                actor,
                runId,
                note == null ? Map.of("step", step) : Map.of("step", step, "note", note));
        if (granted) {
            submit(next);
        }
        return new Result.Changed(next);
    }

    /** Cancels a running or waiting run; a step in flight finishes, nothing after it starts. Audited. */
    public Result cancel(Principal who, String actor, String runId, @Nullable String reason) {
        Optional<Run> found = run(who.tenant(), runId);
        if (found.isEmpty()) {
            return new Result.NotFound("run '" + runId + "'");
        }
        Run run = found.get();
        if (run.status().ended()) {
            return new Result.Conflict(
                    run, "run '" + runId + "' already ended: " + run.status().id());
        }
        Instant now = now();
        String why = "cancelled by " + actor + (reason == null ? "" : ": " + reason);
        Run next = run.with(Run.Status.CANCELLED, null, why, now);
        if (!engine.store().save(next, run.status())) {
            return new Result.Conflict(run, "run '" + runId + "' changed meanwhile; read it again");
        }
        engine.store().append(new RunEvent(runId, 0, now, "run.cancelled", null, why, null, null));
        audit.record(
                AdminAction.WORKFLOW_RUN_CANCELLED,
                who.tenant(),
                actor,
                runId,
                reason == null ? Map.of() : Map.of("reason", reason));
        return new Result.Changed(next);
    }

    /**
     * Takes over running runs that no live node holds (their node stopped or died) and runs them here from their
     * last checkpoint. Called when the node starts and then periodically.
     *
     * @return how many it took
     */
    public int resumeAbandoned() {
        Instant now = now();
        int taken = 0;
        for (String id : engine.store().claimable(engine.node(), now, 50)) {
            if (active.contains(id) || !engine.store().claim(id, engine.node(), now, now.plus(engine.lease()))) {
                continue;
            }
            Optional<Run> run = engine.store().find(id);
            if (run.isPresent() && run.get().status() == Run.Status.RUNNING) {
                engine.store()
                        .append(new RunEvent(
                                id, 0, now, "run.resumed", null, "taken over by node " + engine.node(), null, null));
                execute(run.get());
                taken++;
            }
        }
        return taken;
    }

    /** Deletes runs that ended before {@code before}, with their history. */
    public int prune(Instant before) {
        return engine.store().prune(before);
    }

    private void execute(Run run) {
        active.add(run.id());
        submit(run);
    }

    private void submit(Run run) {
        Workflow flow = declared.get(run.workflow());
        if (flow == null) {
            LOG.warn(
                    "run {} is of workflow '{}', which this node does not declare; left for another",
                    run.id(),
                    run.workflow());
            active.remove(run.id());
            return;
        }
        runs.submit(() -> {
            try {
                new Runner(engine, flow, run).run();
            } catch (RuntimeException e) {
                LOG.error("run {} stopped unexpectedly", run.id(), e);
            } finally {
                active.remove(run.id());
            }
        });
    }

    private Instant now() {
        return engine.time().clock().instant();
    }

    /** Stops taking new work and waits briefly for runs in progress; unfinished ones resume elsewhere or later. */
    @Override
    public void close() {
        runs.shutdownNow();
        try {
            runs.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
