package dev.airlock.monitor.retrain;

import dev.airlock.audit.AdminAction;
import dev.airlock.audit.AdminEvents;
import dev.airlock.decision.DecisionIds;
import dev.airlock.decision.DecisionLog;
import dev.airlock.monitor.outcome.OutcomeStore;
import dev.airlock.time.Time;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retraining as a use case, the same from an alert, the CLI and the admin API: writes the data extract, runs the
 * model's trigger, registers the candidate it reports (declared, never promoted) and records and audits the run. A
 * cool-down keeps a firing alert from retraining in a loop.
 *
 * <pre>{@code
 * Retraining retraining = new Retraining(store.retrainStore(), store.decisionLog(), store.outcomeStore(),
 *         plans::get, currentVersion, trail, Time.system());
 * switch (retraining.retrain(Retraining.Request.manual("loan-risk", null, "key:k1"))) {
 *     case Retraining.Result.Ran ran -> print(ran.run());
 *     case Retraining.Result.CoolingDown c -> print("cooling down until " + c.until());
 *     ...
 * }
 * }</pre>
 */
public final class Retraining {
    private static final Logger LOG = LoggerFactory.getLogger(Retraining.class);
    /** How long past its trigger's bound a run may stay recorded as running before it counts as abandoned. */
    private static final Duration ABANDON_SLACK = Duration.ofMinutes(5);

    /**
     * How one model is retrained.
     *
     * @param trigger what runs the training
     * @param rules the alert rules that start a run ({@code drift}, {@code accuracy})
     * @param cooldown after a run starts, alerts start no other run of the model for this long
     * @param window how far back the extract reaches
     * @param maxRows the most rows the extract holds (the newest)
     * @param directory where each run gets its own directory (extract, artifacts)
     * @param registrar declares the candidate a run reports
     */
    public record Plan(
            Trigger trigger,
            Set<String> rules,
            Duration cooldown,
            Duration window,
            int maxRows,
            Path directory,
            Registrar registrar) {
        public Plan {
            rules = Set.copyOf(rules);
            if (maxRows < 1) {
                throw new IllegalArgumentException("max_rows must be at least 1, not " + maxRows);
            }
        }
    }

    /** Declares a candidate version so that it can be evaluated, shadowed, canaried and promoted like any other. */
    @FunctionalInterface
    public interface Registrar {
        /**
         * Registers {@code candidate} of {@code model}, whose run's directory is {@code directory}.
         *
         * @return the candidate with where it was registered
         * @throws IllegalArgumentException naming what is wrong (no artifact, a digest that does not match)
         */
        Candidate register(String model, Candidate candidate, Path directory) throws IOException;
    }

    /**
     * What to retrain and why.
     *
     * @param version the version the trigger concerns; null: the model's current production version
     * @param force start even while the model is cooling down (an operator's explicit request)
     */
    public record Request(
            String model,
            @Nullable String version,
            String reason,
            @Nullable Double value,
            @Nullable Double threshold,
            @Nullable String alertId,
            String actor,
            boolean force) {
        /** An operator's request: no alert, no cool-down. */
        public static Request manual(String model, @Nullable String version, String actor) {
            return new Request(model, version, "manual", null, null, null, actor, true);
        }
    }

    /** What a request came to. */
    public sealed interface Result {
        /** The run happened (succeeded or failed: see its status). */
        record Ran(RetrainRun run) implements Result {}

        /** The run was recorded and goes on in the background; poll it by its id. */
        record Started(RetrainRun run) implements Result {}

        /** Another run of the model started within the cool-down. */
        record CoolingDown(String model, Instant until) implements Result {}

        /** Another run of the model is still running (on this node or another sharing the store). */
        record AlreadyRunning(String model, RetrainRun running) implements Result {}

        /** The model declares no retraining. */
        record NotConfigured(String model) implements Result {}

        /** No version was named and the model has no production version to retrain. */
        record NoVersion(String model) implements Result {}
    }

    private final RetrainStore store;
    private final DecisionLog decisions;
    private final OutcomeStore outcomes;
    private final Function<String, Optional<Plan>> plans;
    private final Function<String, Optional<String>> currentVersion;
    private final AdminEvents audit;
    private final Time time;

    /**
     * @param plans each model's retraining, empty when it declares none
     * @param currentVersion each model's production version
     */
    public Retraining(
            RetrainStore store,
            DecisionLog decisions,
            OutcomeStore outcomes,
            Function<String, Optional<Plan>> plans,
            Function<String, Optional<String>> currentVersion,
            AdminEvents audit,
            Time time) {
        this.store = store;
        this.decisions = decisions;
        this.outcomes = outcomes;
        this.plans = plans;
        this.currentVersion = currentVersion;
        this.audit = audit;
        this.time = time;
    }

    /** Whether an alert of {@code rule} on {@code model} starts a run. */
    public boolean startsOn(String model, String rule) {
        return plans.apply(model).map(p -> p.rules().contains(rule)).orElse(false);
    }

    /** Runs retraining now, in the calling thread, within the trigger's own time bound. */
    public Result retrain(Request r) {
        return switch (claim(r)) {
            case Claim.Refused refused -> refused.result();
            case Claim.Claimed claimed -> new Result.Ran(finish(claimed));
        };
    }

    /**
     * Records the run and carries it on with {@code background}, answering at once: {@link Result.Started} with the
     * running run, or why none started.
     */
    public Result start(Request r, Executor background) {
        return switch (claim(r)) {
            case Claim.Refused refused -> refused.result();
            case Claim.Claimed claimed -> {
                try {
                    background.execute(() -> finish(claimed));
                } catch (RejectedExecutionException e) {
                    finish(claimed, "the node is stopping; the run was not carried out");
                    throw e;
                }
                yield new Result.Started(claimed.run());
            }
        };
    }

    /** A run recorded as running (the claim), or why none was. */
    private sealed interface Claim {
        record Claimed(RetrainRun run, Plan plan) implements Claim {}

        record Refused(Result result) implements Claim {}
    }

    private Claim claim(Request r) {
        Optional<Plan> found = plans.apply(r.model());
        if (found.isEmpty()) {
            return new Claim.Refused(new Result.NotConfigured(r.model()));
        }
        Plan plan = found.get();
        String version = r.version() != null
                ? r.version()
                : currentVersion.apply(r.model()).orElse(null);
        if (version == null) {
            return new Claim.Refused(new Result.NoVersion(r.model()));
        }
        Instant now = time.clock().instant();
        RetrainRun run = new RetrainRun(
                DecisionIds.next(now.toEpochMilli()),
                r.model(),
                version,
                r.reason(),
                r.alertId(),
                r.value(),
                r.threshold(),
                now.minus(plan.window()),
                now,
                plan.trigger().kind(),
                r.actor(),
                RetrainRun.Status.RUNNING,
                now,
                null,
                null,
                "",
                0,
                null,
                null);
        @Nullable Instant notBefore = r.force() ? null : now.minus(plan.cooldown());
        if (!store.begin(run, notBefore) && !(abandonedBefore(r.model(), plan, now) && store.begin(run, notBefore))) {
            return new Claim.Refused(refusal(r.model(), plan, now));
        }
        audit.record(AdminAction.RETRAIN_STARTED, null, r.actor(), r.model(), started(run));
        return new Claim.Claimed(run, plan);
    }

    /**
     * Ends as failed a run of {@code model} still recorded as running long after its trigger's bound (its node stopped
     * while it ran), so that it does not hold the model forever.
     *
     * @return whether one was ended
     */
    private boolean abandonedBefore(String model, Plan plan, Instant now) {
        Optional<RetrainRun> last = latest(model);
        Duration bound = plan.trigger().bound().plus(ABANDON_SLACK);
        if (last.isEmpty()
                || last.get().status() != RetrainRun.Status.RUNNING
                || last.get().startedAt().isAfter(now.minus(bound))) {
            return false;
        }
        RetrainRun abandoned = last.get()
                .failed(now, null, "", "abandoned: no end was recorded within " + bound + " (its node stopped)");
        store.finish(abandoned);
        audited(abandoned);
        return true;
    }

    private Result refusal(String model, Plan plan, Instant now) {
        Optional<RetrainRun> last = latest(model);
        if (last.isPresent() && last.get().status() == RetrainRun.Status.RUNNING) {
            return new Result.AlreadyRunning(model, last.get());
        }
        Instant started = last.map(RetrainRun::startedAt).orElse(now);
        return new Result.CoolingDown(model, started.plus(plan.cooldown()));
    }

    private Optional<RetrainRun> latest(String model) {
        return store.runs(model, 1).stream().findFirst();
    }

    private RetrainRun finish(Claim.Claimed claimed) {
        RetrainRun done;
        try {
            done = complete(claimed.run(), claimed.plan());
        } catch (RuntimeException e) {
            LOG.error(
                    "retraining run {} of {} failed",
                    claimed.run().id(),
                    claimed.run().model(),
                    e);
            done = claimed.run().failed(now(), null, "", "the run failed: " + e);
        }
        store.finish(done);
        audited(done);
        return done;
    }

    private void finish(Claim.Claimed claimed, String why) {
        RetrainRun done = claimed.run().failed(now(), null, "", why);
        store.finish(done);
        audited(done);
    }

    private RetrainRun complete(RetrainRun run, Plan plan) {
        Path directory = plan.directory().resolve(run.id());
        Path extractFile = directory.resolve("extract.csv");
        RetrainRun withRows;
        try {
            Files.createDirectories(directory);
            int rows = Extract.write(
                    decisions, outcomes, run.model(), run.windowFrom(), run.windowTo(), plan.maxRows(), extractFile);
            withRows = run.withExtract(rows);
        } catch (IOException | RuntimeException e) {
            return run.failed(now(), null, "", "the data extract could not be written: " + e.getMessage());
        }
        if (withRows.extractRows() == 0) {
            return withRows.failed(
                    now(),
                    null,
                    "",
                    "no labelled predictions with kept features since " + run.windowFrom()
                            + " (the model's retention must keep content: full or redacted)");
        }
        Trigger.Result result;
        try {
            result = plan.trigger()
                    .run(new Trigger.Call(
                            run.id(),
                            run.model(),
                            run.version(),
                            run.reason(),
                            run.value(),
                            run.threshold(),
                            run.windowFrom(),
                            run.windowTo(),
                            extractFile,
                            withRows.extractRows(),
                            directory));
        } catch (RuntimeException e) {
            LOG.warn("retraining trigger of {} failed", run.model(), e);
            result = new Trigger.Result.Failed(null, "", "the trigger failed: " + e);
        }
        return switch (result) {
            case Trigger.Result.Failed f -> withRows.failed(now(), f.status(), f.outputTail(), f.error());
            case Trigger.Result.Succeeded s -> registered(withRows, s, plan, directory);
        };
    }

    private RetrainRun registered(RetrainRun run, Trigger.Result.Succeeded s, Plan plan, Path directory) {
        Candidate reported = s.candidate();
        if (reported == null) {
            return run.succeeded(now(), s.status(), s.outputTail(), null);
        }
        try {
            Candidate made = plan.registrar().register(run.model(), reported, directory);
            return run.succeeded(now(), s.status(), s.outputTail(), made);
        } catch (IOException | RuntimeException e) {
            return run.failed(
                    now(),
                    s.status(),
                    s.outputTail(),
                    "candidate " + reported.version() + " was not registered: " + e.getMessage());
        }
    }

    private void audited(RetrainRun done) {
        Map<String, String> details = started(done);
        details.put("status", done.status().id());
        details.put("extract_rows", Integer.toString(done.extractRows()));
        if (done.exitStatus() != null) {
            details.put("exit_status", done.exitStatus().toString());
        }
        if (done.error() != null) {
            details.put("error", done.error());
        }
        Candidate c = done.candidate();
        if (c != null) {
            details.put("candidate_version", c.version());
        }
        AdminAction action = done.status() == RetrainRun.Status.SUCCEEDED
                ? AdminAction.RETRAIN_SUCCEEDED
                : AdminAction.RETRAIN_FAILED;
        audit.record(action, null, done.actor(), done.model(), details);
        if (c != null) {
            Map<String, String> registered = new LinkedHashMap<>();
            registered.put("run", done.id());
            registered.put("version", c.version());
            registered.put("artifact", c.artifact());
            registered.put("sha256", Objects.requireNonNullElse(c.sha256(), ""));
            registered.put("registration", Objects.requireNonNullElse(c.registration(), ""));
            audit.record(AdminAction.RETRAIN_CANDIDATE_REGISTERED, null, done.actor(), done.model(), registered);
        }
    }

    private static Map<String, String> started(RetrainRun run) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("run", run.id());
        d.put("version", run.version());
        d.put("reason", run.reason());
        d.put("trigger", run.trigger());
        if (run.alertId() != null) {
            d.put("alert", run.alertId());
        }
        if (run.value() != null) {
            d.put("value", run.value().toString());
        }
        if (run.threshold() != null) {
            d.put("threshold", run.threshold().toString());
        }
        d.put("window_from", run.windowFrom().toString());
        d.put("window_to", run.windowTo().toString());
        return d;
    }

    private Instant now() {
        return time.clock().instant();
    }

    /** A run by id. */
    public Optional<RetrainRun> find(String id) {
        return store.findRun(id);
    }

    /** A model's runs, newest first. */
    public List<RetrainRun> runs(String model, int limit) {
        return store.runs(model, limit);
    }
}
