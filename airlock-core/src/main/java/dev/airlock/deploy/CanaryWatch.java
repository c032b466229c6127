package dev.airlock.deploy;

import dev.airlock.decision.Decision;
import dev.airlock.decision.Outcome;
import dev.airlock.decision.StageNote;
import dev.airlock.pipeline.GuardInput;
import dev.airlock.pipeline.GuardOutput;
import dev.airlock.pipeline.Resolution;
import dev.airlock.pipeline.Resolve;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches canaries and rolls one back the moment it is worse than production beyond the model's thresholds: its
 * error rate above {@code error_rate}, its p99 latency above {@code latency_p99_ms}, or its rate of guard refusals
 * above production's by more than {@code error_rate} — each judged over the canary's last calls, and only when
 * production over its own last calls is better; or its predictions distributed unlike production's over the same
 * profile windows, the share of output columns that drifted above {@code drift} (read through {@link OutputDrift}
 * every {@code minCalls} canary calls, since it merges profiles). Feed it every recorded Decision.
 */
public final class CanaryWatch {
    private static final Logger LOG = LoggerFactory.getLogger(CanaryWatch.class);

    /**
     * The thresholds a canary is held to; a null one is not checked.
     *
     * @param drift the largest share of output columns whose distribution may differ from production's
     */
    public record Limits(
            @Nullable Double errorRate,
            @Nullable Double latencyP99Millis,
            @Nullable Double drift) {
        /** When a model declares no thresholds: at most 5% errors. */
        public static final Limits DEFAULT = new Limits(0.05, null);

        public Limits(@Nullable Double errorRate, @Nullable Double latencyP99Millis) {
            this(errorRate, latencyP99Millis, null);
        }
    }

    /**
     * How the canary's predictions compare with production's over the same windows: a port the runtime supplies from
     * the profiles it keeps, so that deploy reads no profile store.
     */
    @FunctionalInterface
    public interface OutputDrift {
        /** Compares nothing: canaries are judged by errors, latency and guards only. */
        OutputDrift NONE = (model, canary, production, since) -> null;

        /**
         * The comparison of {@code canary}'s outputs with {@code production}'s over the profile windows since
         * {@code since}, or null when there is nothing to compare (no profiles, no calls on one side).
         */
        @Nullable
        Comparison compare(String model, String canary, String production, @Nullable Instant since);

        /**
         * @param share drifted output columns over compared ones
         * @param drifted the output columns that drifted
         * @param canaryCalls the canary's calls compared
         * @param productionCalls production's calls compared
         */
        record Comparison(double share, List<String> drifted, long canaryCalls, long productionCalls) {
            public Comparison {
                drifted = List.copyOf(drifted);
            }
        }
    }

    private final Deployments deployments;
    private final Function<String, Limits> limits;
    private final int window;
    private final int minCalls;
    private final OutputDrift outputDrift;
    private final Map<String, Watch> watches = new ConcurrentHashMap<>();

    /**
     * @param limits per model, its thresholds (null for {@link Limits#DEFAULT})
     * @param window how many recent calls of each version are judged
     * @param minCalls fewest canary calls before it may be judged
     */
    public CanaryWatch(Deployments deployments, Function<String, Limits> limits, int window, int minCalls) {
        this(deployments, limits, window, minCalls, OutputDrift.NONE);
    }

    /** The same, also holding the canary's predictions against production's through {@code outputDrift}. */
    public CanaryWatch(
            Deployments deployments,
            Function<String, Limits> limits,
            int window,
            int minCalls,
            OutputDrift outputDrift) {
        if (minCalls < 1 || window < minCalls) {
            throw new IllegalArgumentException("need 1 <= minCalls <= window, not " + minCalls + " and " + window);
        }
        this.deployments = deployments;
        this.limits = limits;
        this.window = window;
        this.minCalls = minCalls;
        this.outputDrift = outputDrift;
    }

    /** Counts a recorded Decision; may roll the model's canary back. Never throws. */
    public void observe(Decision d) {
        String route = routeOf(d);
        String model = d.model();
        if (model == null
                || d.modelVersion() == null
                || !(Resolution.CANARY.equals(route) || Resolution.PRODUCTION.equals(route))) {
            return;
        }
        try {
            Deployment deployment = deployments.current(model);
            if (deployment.canary() == null) {
                watches.remove(model);
                return;
            }
            String canary = deployment.canary().version();
            Watch watch = watches.compute(
                    model, (m, w) -> w != null && w.canary.equals(canary) ? w : new Watch(canary, window));
            boolean isCanary = Resolution.CANARY.equals(route) && canary.equals(d.modelVersion());
            (isCanary ? watch.canaryCalls : watch.productionCalls).add(d);
            if (isCanary) {
                judge(model, watch, deployment);
            }
        } catch (RuntimeException e) {
            LOG.warn("canary watch of {} failed on decision {}", d.model(), d.id(), e);
        }
    }

    private void judge(String model, Watch watch, Deployment deployment) {
        Window.Figures canary = watch.canaryCalls.figures();
        if (canary.calls() < minCalls) {
            return;
        }
        Window.Figures production = watch.productionCalls.figures();
        Limits l = limits.apply(model);
        if (l == null) {
            l = Limits.DEFAULT;
        }
        String breach = null;
        if (l.errorRate() != null
                && canary.errorRate() > l.errorRate()
                && canary.errorRate() > production.errorRate()) {
            breach = String.format(
                    Locale.ROOT,
                    "error rate %.3f over its last %d calls is above the threshold %.3f (production %.3f)",
                    canary.errorRate(),
                    canary.calls(),
                    l.errorRate(),
                    production.errorRate());
        } else if (l.latencyP99Millis() != null
                && canary.p99Millis() > l.latencyP99Millis()
                && canary.p99Millis() > production.p99Millis()) {
            breach = String.format(
                    Locale.ROOT,
                    "p99 latency %.1f ms over its last %d calls is above the threshold %.1f ms (production %.1f ms)",
                    canary.p99Millis(),
                    canary.calls(),
                    l.latencyP99Millis(),
                    production.p99Millis());
        } else if (canary.guardRate() - production.guardRate() > (l.errorRate() == null ? 0.05 : l.errorRate())) {
            breach = String.format(
                    Locale.ROOT,
                    "guards refused %.3f of its last %d calls against %.3f of production's",
                    canary.guardRate(),
                    canary.calls(),
                    production.guardRate());
        } else if (l.drift() != null && watch.seen.getAndIncrement() % minCalls == 0) {
            breach = outputDrift(model, watch, deployment, l.drift());
        }
        if (breach != null && watch.rolledBack.compareAndSet(false, true)) {
            var change = deployments.endCanary(model, "airlock", "canary " + watch.canary + ": " + breach, true);
            watches.remove(model, watch); // a new canary, even of the same version, starts with fresh windows
            if (change != null) {
                LOG.warn("rolled back the canary {} of {}: {}", watch.canary, model, breach);
            }
        }
    }

    /** The breach when the canary's predictions drifted from production's above {@code limit}; else null. */
    private @Nullable String outputDrift(String model, Watch watch, Deployment deployment, double limit) {
        OutputDrift.Comparison c =
                outputDrift.compare(model, watch.canary, deployment.production(), deployment.updatedAt());
        if (c == null || c.share() <= limit) {
            return null;
        }
        return String.format(
                Locale.ROOT,
                "predictions drifted from production's (version %s): %.3f of its output columns (%s) over %d canary"
                        + " and %d production calls, above the threshold %.3f",
                deployment.production(),
                c.share(),
                String.join(", ", c.drifted()),
                c.canaryCalls(),
                c.productionCalls(),
                limit);
    }

    private static @Nullable String routeOf(Decision d) {
        for (StageNote n : d.notes()) {
            if (n.stage().equals(Resolve.STAGE)) {
                return n.verdict();
            }
        }
        return null;
    }

    private static final class Watch {
        final String canary;
        final Window canaryCalls;
        final Window productionCalls;
        final AtomicBoolean rolledBack = new AtomicBoolean();
        final AtomicInteger seen = new AtomicInteger();

        Watch(String canary, int size) {
            this.canary = canary;
            this.canaryCalls = new Window(size);
            this.productionCalls = new Window(size);
        }
    }

    /** The last calls of one version: failed or not, refused by a guard or not, and latency. */
    static final class Window {
        private final boolean[] errors;
        private final boolean[] guarded;
        private final long[] micros;
        private int next;
        private int size;

        Window(int capacity) {
            errors = new boolean[capacity];
            guarded = new boolean[capacity];
            micros = new long[capacity];
        }

        synchronized void add(Decision d) {
            errors[next] = d.outcome() instanceof Outcome.Failed f && f.httpStatus() >= 500;
            guarded[next] = d.outcome() instanceof Outcome.Refused r
                    && (r.stop().stage().equals(GuardInput.STAGE)
                            || r.stop().stage().equals(GuardOutput.STAGE));
            micros[next] = d.latencyMicros();
            next = (next + 1) % errors.length;
            size = Math.min(size + 1, errors.length);
        }

        synchronized Figures figures() {
            if (size == 0) {
                return new Figures(0, 0, 0, 0);
            }
            int failed = 0;
            int refused = 0;
            for (int i = 0; i < size; i++) {
                failed += errors[i] ? 1 : 0;
                refused += guarded[i] ? 1 : 0;
            }
            long[] sorted = Arrays.copyOf(micros, size);
            Arrays.sort(sorted);
            long p99 = sorted[Math.min(size - 1, (int) Math.ceil(0.99 * size) - 1)];
            return new Figures(size, (double) failed / size, (double) refused / size, p99 / 1000.0);
        }

        record Figures(int calls, double errorRate, double guardRate, double p99Millis) {}
    }
}
