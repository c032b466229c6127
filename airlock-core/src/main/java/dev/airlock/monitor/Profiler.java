package dev.airlock.monitor;

import dev.airlock.decision.Decision;
import dev.airlock.decision.RequestKind;
import dev.airlock.pipeline.Observe;
import dev.airlock.provider.AiAnswer;
import dev.airlock.provider.AiRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watcher that profiles every stored Decision into its model version's current window, and flushes this node's
 * partials to the {@link ProfileStore} periodically and on {@link #close()}.
 *
 * <p>Why it is cheap on the record path: each model version has a few stripes, each a profile of its own under its
 * own lock; a caller takes the stripe its thread id picks, so callers on different threads rarely wait for one
 * another, and DataSketches sketches (which are not thread-safe) are only touched under their stripe's lock. A flush
 * swaps each stripe's profiles for empty ones under that lock and merges and writes them outside it. Windows are
 * taken from the Decision's {@code startedAt}, so the profile of a call does not depend on when it is flushed.
 *
 * <pre>{@code
 * Profiler profiler = new Profiler(store.profileStore(), "node-1", (model, version, kind) -> spec);
 * Pipeline.builder().observe(profiler)...;
 * profiler.flushEvery(Duration.ofMinutes(1));
 * // on shutdown: nothing observed is lost
 * profiler.close();
 * }</pre>
 */
public final class Profiler implements Observe, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Profiler.class);
    private static final int STRIPES = stripes(Runtime.getRuntime().availableProcessors());

    /** How a model version is profiled. */
    @FunctionalInterface
    public interface Specs {
        ProfileSpec spec(String model, String version, RequestKind kind);
    }

    private final ProfileStore store;
    private final String node;
    private final Specs specs;
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Accumulator>> models = new ConcurrentHashMap<>();
    // partials a flush could not write, kept for the next one
    private final List<Profile> unwritten = new ArrayList<>();
    private final Object flushing = new Object();
    private @Nullable ScheduledExecutorService timer;

    /**
     * @param node this node's name in the store: each node's partials are kept apart and merged on reading
     */
    public Profiler(ProfileStore store, String node, Specs specs) {
        this.store = store;
        this.node = node;
        this.specs = specs;
    }

    @Override
    public void observe(Decision decision, AiRequest request, @Nullable AiAnswer answer) {
        String model = decision.model();
        String version = decision.modelVersion();
        if (model == null || version == null) {
            return; // refused before a version was resolved: nothing to profile against
        }
        accumulator(model, version, decision.kind()).observe(decision, request, answer);
    }

    /** The profile spec in use for a model version (once it has been seen or asked for). */
    public ProfileSpec spec(String model, String version, RequestKind kind) {
        return accumulator(model, version, kind).spec;
    }

    /**
     * Writes every partial observed since the last flush to the store. A partial the store refuses is kept and written
     * with the next flush.
     */
    public void flush() {
        synchronized (flushing) {
            List<Profile> partials = new ArrayList<>(unwritten);
            unwritten.clear();
            models.values().forEach(versions -> versions.values().forEach(a -> partials.addAll(a.drain())));
            for (Profile p : partials) {
                try {
                    store.mergePartial(node, p);
                } catch (RuntimeException e) {
                    LOG.warn("could not store the profile partial {}; kept for the next flush", p, e);
                    unwritten.add(p);
                }
            }
        }
    }

    /**
     * What this node observed of a model version in windows starting in [{@code from}, {@code to}) and has not written
     * yet, as copies: a read merges it with the store's windows to see its own latest calls.
     */
    public List<Profile> unflushed(String model, String version, Instant from, Instant to) {
        synchronized (flushing) {
            List<Profile> out = new ArrayList<>();
            for (Profile p : unwritten) {
                if (p.model().equals(model) && p.version().equals(version) && within(p, from, to)) {
                    out.add(p.copy());
                }
            }
            var versions = models.get(model);
            Accumulator a = versions == null ? null : versions.get(version);
            if (a != null) {
                a.snapshot().stream().filter(p -> within(p, from, to)).forEach(out::add);
            }
            return out;
        }
    }

    /** Flushes every {@code every} on a daemon thread of its own until {@link #close()}. */
    public synchronized Profiler flushEvery(Duration every) {
        if (timer == null && !every.isZero() && !every.isNegative()) {
            ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "airlock-profile-flush");
                thread.setDaemon(true);
                return thread;
            });
            long millis = every.toMillis();
            t.scheduleWithFixedDelay(this::flushQuietly, millis, millis, TimeUnit.MILLISECONDS);
            timer = t;
        }
        return this;
    }

    /** Stops the periodic flush and flushes what is left: nothing observed before this returns is lost. */
    @Override
    public void close() {
        synchronized (this) {
            if (timer != null) {
                timer.shutdownNow();
                timer = null;
            }
        }
        flush();
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("profile flush failed; retried on the next one", e);
        }
    }

    private Accumulator accumulator(String model, String version, RequestKind kind) {
        var versions = models.get(model);
        if (versions == null) {
            versions = models.computeIfAbsent(model, m -> new ConcurrentHashMap<>());
        }
        Accumulator a = versions.get(version);
        if (a == null) {
            a = versions.computeIfAbsent(version, v -> new Accumulator(model, v, specs.spec(model, v, kind)));
        }
        return a;
    }

    private static boolean within(Profile p, Instant from, Instant to) {
        return !p.from().isBefore(from) && p.from().isBefore(to);
    }

    private static int stripes(int processors) {
        int n = Integer.highestOneBit(Math.max(1, processors) * 2 - 1) * 2;
        return Math.min(64, Math.max(4, n));
    }

    /** One model version's profiles in the making, striped by thread. */
    private static final class Accumulator {
        private final String model;
        private final String version;
        private final ProfileSpec spec;
        private final long windowMillis;
        private final Stripe[] stripes = new Stripe[STRIPES];

        Accumulator(String model, String version, ProfileSpec spec) {
            this.model = model;
            this.version = version;
            this.spec = spec;
            this.windowMillis = spec.window().toMillis();
            for (int i = 0; i < stripes.length; i++) {
                stripes[i] = new Stripe();
            }
        }

        void observe(Decision d, AiRequest request, @Nullable AiAnswer answer) {
            long start = Math.floorDiv(d.startedAt().toEpochMilli(), windowMillis) * windowMillis;
            Stripe stripe = stripes[(int) (Thread.currentThread().threadId() & (stripes.length - 1))];
            synchronized (stripe) {
                Observations.observe(stripe.window(start, this), spec, d, request, answer);
            }
        }

        Profile empty(long start) {
            return new Profile(model, version, Instant.ofEpochMilli(start), Instant.ofEpochMilli(start + windowMillis));
        }

        /** Every stripe's profiles, merged per window; the stripes start afresh. */
        List<Profile> drain() {
            Map<Long, Profile> byWindow = new TreeMap<>();
            for (Stripe s : stripes) {
                List<Profile> taken;
                synchronized (s) {
                    taken = s.take();
                }
                for (Profile p : taken) {
                    Profile into = byWindow.get(p.from().toEpochMilli());
                    if (into == null) {
                        byWindow.put(p.from().toEpochMilli(), p);
                    } else {
                        into.merge(p);
                    }
                }
            }
            return List.copyOf(byWindow.values());
        }

        /** Copies of every stripe's profiles, merged per window; the stripes keep theirs. */
        List<Profile> snapshot() {
            Map<Long, Profile> byWindow = new TreeMap<>();
            for (Stripe s : stripes) {
                synchronized (s) {
                    for (Profile p : s.peek()) {
                        Profile into = byWindow.get(p.from().toEpochMilli());
                        if (into == null) {
                            byWindow.put(p.from().toEpochMilli(), p.copy());
                        } else {
                            into.merge(p);
                        }
                    }
                }
            }
            return List.copyOf(byWindow.values());
        }
    }

    /**
     * The profiles one stripe fills: usually one window; a call of an earlier window (a slow call that started before
     * the window turned) goes to a profile of its own. Guarded by its own monitor.
     */
    private static final class Stripe {
        private long currentStart = Long.MIN_VALUE;
        private @Nullable Profile current;
        private final Map<Long, Profile> others = new TreeMap<>();

        Profile window(long start, Accumulator owner) {
            Profile c = current;
            if (c != null && currentStart == start) {
                return c;
            }
            if (c == null || start > currentStart) {
                if (c != null) {
                    others.put(currentStart, c);
                }
                Profile fresh = others.remove(start);
                current = fresh != null ? fresh : owner.empty(start);
                currentStart = start;
                return current;
            }
            return others.computeIfAbsent(start, owner::empty);
        }

        List<Profile> take() {
            List<Profile> taken = peek();
            current = null;
            currentStart = Long.MIN_VALUE;
            others.clear();
            return taken;
        }

        List<Profile> peek() {
            List<Profile> all = new ArrayList<>(others.values());
            if (current != null) {
                all.add(current);
            }
            return all;
        }
    }
}
