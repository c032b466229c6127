package dev.airlock.deploy;

import dev.airlock.decision.Decision;
import dev.airlock.decision.Outcome;
import dev.airlock.decision.StageNote;
import dev.airlock.pipeline.GuardInput;
import dev.airlock.pipeline.GuardOutput;
import dev.airlock.pipeline.Resolution;
import dev.airlock.pipeline.Resolve;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches canaries and rolls one back the moment it is worse than production beyond the model's thresholds: its
 * error rate above {@code error_rate}, its p99 latency above {@code latency_p99_ms}, or its rate of guard refusals
 * above production's by more than {@code error_rate} — each judged over the canary's last calls, and only when
 * production over its own last calls is better. Feed it every recorded Decision.
 */
public final class CanaryWatch {
    private static final Logger LOG = LoggerFactory.getLogger(CanaryWatch.class);

    /** The thresholds a canary is held to; a null one is not checked. */
    public record Limits(
            @Nullable Double errorRate, @Nullable Double latencyP99Millis) {
        /** When a model declares no thresholds: at most 5% errors. */
        public static final Limits DEFAULT = new Limits(0.05, null);
    }

    private final Deployments deployments;
    private final Function<String, Limits> limits;
    private final int window;
    private final int minCalls;
    private final Map<String, Watch> watches = new ConcurrentHashMap<>();

    /**
     * @param limits per model, its thresholds (null for {@link Limits#DEFAULT})
     * @param window how many recent calls of each version are judged
     * @param minCalls fewest canary calls before it may be judged
     */
    public CanaryWatch(Deployments deployments, Function<String, Limits> limits, int window, int minCalls) {
        if (minCalls < 1 || window < minCalls) {
            throw new IllegalArgumentException("need 1 <= minCalls <= window, not " + minCalls + " and " + window);
        }
        this.deployments = deployments;
        this.limits = limits;
        this.window = window;
        this.minCalls = minCalls;
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
                judge(model, watch);
            }
        } catch (RuntimeException e) {
            LOG.warn("canary watch of {} failed on decision {}", d.model(), d.id(), e);
        }
    }

    private void judge(String model, Watch watch) {
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
        }
        if (breach != null && watch.rolledBack.compareAndSet(false, true)) {
            var change = deployments.endCanary(model, "airlock", "canary " + watch.canary + ": " + breach, true);
            watches.remove(model, watch); // a new canary, even of the same version, starts with fresh windows
            if (change != null) {
                LOG.warn("rolled back the canary {} of {}: {}", watch.canary, model, breach);
            }
        }
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
