package dev.airlock.readiness;

import dev.airlock.evidence.Evaluation;
import dev.airlock.evidence.LoadTestResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The readiness gate: what a model must show before it serves production. Each check reads recorded evidence, not a
 * checkbox; an admin may accept a failed check only with a recorded justification.
 */
public final class Readiness {
    private Readiness() {}

    /** The checks, in the order the scorecard shows them. */
    public enum Check {
        OWNER("a named owner, a contact and an escalation path"),
        RUNBOOK("a runbook"),
        THRESHOLDS("alert thresholds: latency p99, error rate, drift, accuracy, cost per day"),
        FALLBACK_DRILL("a passed fallback drill (airlock drill fallback)"),
        ROLLBACK_DRILL("a passed rollback drill (airlock drill rollback)"),
        LOAD_TEST("a load test at 10x the expected load within the latency and error thresholds (airlock loadtest)"),
        EVALUATION("an evaluation on a raw production sample, with production-adjusted expectations"),
        RETENTION("a retention policy (models.<name>.retention)"),
        REVIEW_RULE("a review rule for outputs that affect customers");

        private final String requirement;

        Check(String requirement) {
            this.requirement = requirement;
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public String requirement() {
            return requirement;
        }

        public static Check parse(String id) {
            for (Check c : values()) {
                if (c.id().equals(id)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("no readiness check '" + id + "'; checks: "
                    + Arrays.stream(values()).map(Check::id).collect(Collectors.joining(", ")));
        }
    }

    /** One check's result: passed, or why not; a waiver says who accepted the failure and why. */
    public record Result(
            Check check,
            boolean passed,
            String detail,
            @Nullable Waiver waiver) {
        public boolean accepted() {
            return passed || waiver != null;
        }
    }

    /** Every check of one model (of one of its versions, when {@code version} is not null). */
    public record Scorecard(String model, @Nullable String version, List<Result> results) {
        public boolean ready() {
            return results.stream().allMatch(Result::accepted);
        }

        /** What is missing, for a refusal. */
        public List<Result> missing() {
            return results.stream().filter(r -> !r.accepted()).toList();
        }
    }

    /** What the gate reads about one model. */
    public record Evidence(
            @Nullable Operations operations,
            boolean retentionDeclared,
            @Nullable Double expectedLoadRps,
            List<Drill> drills,
            List<LoadTestResult> loadTests,
            List<Evaluation> evaluations,
            List<Waiver> waivers) {

        /** The evidence gathered on one version (rollback drills apply to the model; waivers to the version given). */
        Evidence of(String version) {
            return new Evidence(
                    operations,
                    retentionDeclared,
                    expectedLoadRps,
                    drills.stream()
                            .filter(d -> d.kind().equals("rollback")
                                    || version.equals(d.details().get("version")))
                            .toList(),
                    loadTests.stream()
                            .filter(t -> version.equals(t.modelVersion()))
                            .toList(),
                    evaluations.stream()
                            .filter(x -> version.equals(x.modelVersion()))
                            .toList(),
                    waivers.stream().filter(w -> version.equals(w.version())).toList());
        }
    }

    public static Scorecard evaluate(String model, Evidence e) {
        return evaluate(model, null, e);
    }

    /**
     * The scorecard of one version of a model: the load test, the evaluation and the fallback drill must have been
     * done on that version (its route and its answers are what they measure); the rollback drill, which exercises the
     * deployment mechanics, may have been done on any. With a null version, evidence of any version counts.
     */
    public static Scorecard evaluate(String model, @Nullable String version, Evidence all) {
        return evaluate(model, version, all, new LiveDrift.NotWatched());
    }

    /**
     * The same, with what live traffic shows against the version's reference: drift above {@code thresholds.drift}
     * fails the thresholds check, since a threshold already broken is not one the model can go live on.
     */
    public static Scorecard evaluate(String model, @Nullable String version, Evidence all, LiveDrift.Reading drift) {
        Evidence e = version == null ? all : all.of(version);
        Operations ops = e.operations();
        Map<String, Waiver> waivers =
                e.waivers().stream().collect(Collectors.toMap(Waiver::check, Function.identity(), (a, b) -> b));
        List<Result> results = new ArrayList<>();
        for (Check check : Check.values()) {
            Outcome outcome = switch (check) {
                case OWNER -> owner(ops);
                case RUNBOOK ->
                    ops != null && present(ops.runbook())
                            ? Outcome.pass(ops.runbook() + " (declared; the link is not checked)")
                            : Outcome.fail("no runbook (operations.runbook)");
                case THRESHOLDS -> thresholds(ops, drift);
                case FALLBACK_DRILL -> drill(e.drills(), "fallback", version);
                case ROLLBACK_DRILL -> drill(e.drills(), "rollback", null);
                case LOAD_TEST -> loadTest(e, ops);
                case EVALUATION -> evaluation(e.evaluations(), ops);
                case RETENTION ->
                    e.retentionDeclared()
                            ? Outcome.pass("declared" + dataClasses(ops))
                            : Outcome.fail("no retention policy declared (models.<name>.retention)");
                case REVIEW_RULE ->
                    ops != null && present(ops.reviewRule())
                            ? Outcome.pass("declared: " + ops.reviewRule()
                                    + " (text; outputs are held for review only where a review policy says so)")
                            : Outcome.fail("no review rule (operations.review_rule)");
            };
            results.add(new Result(
                    check, outcome.passed(), outcome.detail(), outcome.passed() ? null : waivers.get(check.id())));
        }
        return new Scorecard(model, version, results);
    }

    private record Outcome(boolean passed, String detail) {
        static Outcome pass(String detail) {
            return new Outcome(true, detail);
        }

        static Outcome fail(String detail) {
            return new Outcome(false, detail);
        }
    }

    private static Outcome owner(@Nullable Operations ops) {
        if (ops == null) {
            return Outcome.fail("missing owner, operations.contact, operations.escalation");
        }
        List<String> missing = new ArrayList<>();
        if (!present(ops.owner())) {
            missing.add("owner");
        }
        if (!present(ops.contact())) {
            missing.add("operations.contact");
        }
        if (ops.escalation().isEmpty()) {
            missing.add("operations.escalation");
        }
        return missing.isEmpty()
                ? Outcome.pass(ops.owner() + ", " + ops.contact() + ", then " + String.join(", ", ops.escalation()))
                : Outcome.fail("missing " + String.join(", ", missing));
    }

    /**
     * What reads each threshold today, so that a pass is read as "monitored" only where something watches: every
     * threshold is an alert rule, and some also judge evidence.
     */
    static final String WATCHED_THRESHOLDS = "all set; each is an alert rule to the owner (latency_p99_ms and"
            + " error_rate over recent calls, cost_per_day_usd over today's spend, drift over the last day's profiles"
            + " against the reference, accuracy over labelled predictions); latency_p99_ms and error_rate also judge"
            + " the load test and the canary, accuracy the evaluation, drift the canary's predictions";

    private static Outcome thresholds(@Nullable Operations ops, LiveDrift.Reading drift) {
        if (ops == null || ops.thresholds() == null) {
            return Outcome.fail("no thresholds (operations.thresholds)");
        }
        List<String> missing = ops.thresholds().missing();
        if (!missing.isEmpty()) {
            return Outcome.fail("thresholds not set: " + String.join(", ", missing));
        }
        double limit = ops.thresholds().drift();
        return switch (drift) {
            case LiveDrift.NotWatched n -> Outcome.pass(WATCHED_THRESHOLDS + "; live drift: not read here");
            case LiveDrift.NoReference r ->
                Outcome.pass(WATCHED_THRESHOLDS + "; live drift: version " + r.version()
                        + " has no reference profile yet, so nothing watches its drift (a node builds it from"
                        + " monitoring.reference when it starts)");
            case LiveDrift.NoTraffic t ->
                Outcome.pass(WATCHED_THRESHOLDS + "; live drift: reference profile present, no live traffic yet on"
                        + " version " + t.version() + " (last " + t.since().toHours() + "h)");
            case LiveDrift.Measured m -> {
                String figures = String.format(
                        Locale.ROOT,
                        "live drift of version %s: %.3f of its columns drifted over %d calls in the last %dh"
                                + " (threshold %s)%s",
                        m.version(),
                        m.share(),
                        m.calls(),
                        m.since().toHours(),
                        limit,
                        m.drifted().isEmpty() ? "" : ": " + String.join(", ", m.drifted()));
                yield m.share() > limit
                        ? Outcome.fail("drift above its threshold on recent traffic: " + figures)
                        : Outcome.pass(WATCHED_THRESHOLDS + "; " + figures);
            }
        };
    }

    private static Outcome drill(List<Drill> drills, String kind, @Nullable String version) {
        Optional<Drill> last =
                drills.stream().filter(d -> d.kind().equals(kind)).reduce((a, b) -> b);
        if (last.isEmpty()) {
            return Outcome.fail(
                    "no " + kind + " drill recorded" + (kind.equals("fallback") ? " for this version" : ""));
        }
        Drill d = last.get();
        return d.passed()
                ? Outcome.pass("passed " + d.at() + " (" + d.id() + ")")
                : Outcome.fail("the last " + kind + " drill failed " + d.at() + ": " + d.details());
    }

    private static Outcome evaluation(List<Evaluation> evaluations, @Nullable Operations ops) {
        if (evaluations.isEmpty()) {
            return Outcome.fail("no evaluation on a production sample is recorded (airlock evaluate)");
        }
        Evaluation last = evaluations.getLast();
        String figures = String.format(
                Locale.ROOT,
                "%s: accuracy %.3f on %d raw rows (%d scorable), AUC %.3f%s%s%s",
                last.id(),
                last.accuracy(),
                last.rows(),
                last.scored(),
                last.auc(),
                last.adjustedAccuracy() == null
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                "; PoC %.3f adjusted to %.3f",
                                last.pocAccuracy(),
                                last.adjustedAccuracy()),
                last.kpiBaseline() == null ? "" : String.format(Locale.ROOT, "; baseline %.3f", last.kpiBaseline()),
                last.monthlyValueUsd() == null
                        ? ""
                        : String.format(Locale.ROOT, "; about $%,.0f a month", last.monthlyValueUsd()));
        Double floor = ops == null || ops.thresholds() == null
                ? null
                : ops.thresholds().accuracy();
        if (last.kpiBaseline() != null && last.accuracy() < last.kpiBaseline()) {
            return Outcome.fail("does not beat the baseline: " + figures);
        }
        if (floor != null && last.accuracy() < floor) {
            return Outcome.fail("below the accuracy threshold " + floor + ": " + figures);
        }
        return Outcome.pass(figures);
    }

    private static Outcome loadTest(Evidence e, @Nullable Operations ops) {
        if (e.expectedLoadRps() == null) {
            return Outcome.fail("no expected load (models.<name>.expected_load_rps)");
        }
        var tenfold = e.loadTests().stream()
                .filter(t -> t.multiplier() >= 10 && t.targetRps() >= 10 * e.expectedLoadRps() - 1e-9)
                .reduce((a, b) -> b);
        if (tenfold.isEmpty()) {
            return Outcome.fail("no load test at 10x the expected " + e.expectedLoadRps() + " req/s is recorded");
        }
        LoadTestResult t = tenfold.get();
        if (ops == null
                || ops.thresholds() == null
                || ops.thresholds().latencyP99Millis() == null
                || ops.thresholds().errorRate() == null) {
            return Outcome.fail(
                    "load test " + t.id() + " recorded, but no latency and error thresholds to judge it by");
        }
        String figures = String.format(
                Locale.ROOT,
                "%s: p99 %.1f ms (threshold %.1f), errors %.3f%% (threshold %.3f%%), shed %d of %d",
                t.id(),
                t.p99Millis(),
                ops.thresholds().latencyP99Millis(),
                100 * t.errorRate(),
                100 * ops.thresholds().errorRate(),
                t.shed(),
                t.sent());
        boolean within = t.p99Millis() <= ops.thresholds().latencyP99Millis()
                && t.errorRate() <= ops.thresholds().errorRate();
        return within ? Outcome.pass(figures) : Outcome.fail("outside thresholds: " + figures);
    }

    private static String dataClasses(@Nullable Operations ops) {
        return ops == null || ops.dataClasses().isEmpty()
                ? ""
                : "; data classes " + ops.dataClasses() + ": declared, not yet enforced (nothing reads them)";
    }

    private static boolean present(@Nullable String s) {
        return s != null && !s.isBlank();
    }
}
