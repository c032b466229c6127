package dev.airlock.routing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Admission control per provider: at most {@code maxInFlight} calls at once, at most {@code queue} more waiting, each
 * for at most {@code queueTimeout}. Past that a call is shed at once, so overload turns into fast 429s instead of
 * queues, piled-up timeouts and memory growth. Gauges {@code airlock.upstream.in_flight} and
 * {@code airlock.upstream.waiting}, counter {@code airlock.upstream.shed}.
 *
 * <p>Tenants share a provider fairly: when its queue is full, a tenant with fewer calls waiting takes the place of
 * the newest waiting call of the tenant with the most (which is shed), and a freed slot goes to the waiting call
 * whose tenant has the fewest calls in flight, oldest first. So one tenant's burst cannot fill the slots and the
 * queue so that the others are shed; alone, a tenant may use all of them.
 */
public final class Bulkheads {

    /** The limits of one provider. */
    public record Limits(int maxInFlight, int queue, Duration queueTimeout) {
        public static final Limits DEFAULT = new Limits(128, 128, Duration.ofMillis(250));

        public Limits {
            if (maxInFlight < 1 || queue < 0) {
                throw new IllegalArgumentException("maxInFlight must be at least 1 and queue not negative");
            }
        }
    }

    /** A held slot; close it when the call ends. */
    public interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    private final Map<String, Limits> limits;
    private final @Nullable MeterRegistry meters;
    private final Map<String, Bulkhead> bulkheads = new ConcurrentHashMap<>();

    public Bulkheads(Map<String, Limits> limits, @Nullable MeterRegistry meters) {
        this.limits = Map.copyOf(limits);
        this.meters = meters;
    }

    /**
     * A slot for a call of {@code tenant} to {@code provider}, or null when it is full and its queue too (or the wait
     * ran out, or a tenant with fewer calls waiting took this call's place in the queue).
     */
    public @Nullable Slot enter(String provider, @Nullable String tenant) {
        return bulkheads.computeIfAbsent(provider, this::create).enter(tenant == null ? "" : tenant);
    }

    /** The most calls that were in flight at once to {@code provider} since start. */
    public int peakInFlight(String provider) {
        Bulkhead b = bulkheads.get(provider);
        return b == null ? 0 : b.peak.get();
    }

    private Bulkhead create(String provider) {
        var bulkhead = new Bulkhead(limits.getOrDefault(provider, Limits.DEFAULT));
        if (meters != null) {
            Gauge.builder("airlock.upstream.in_flight", bulkhead.inFlightGauge, AtomicInteger::get)
                    .description("Calls in flight to a provider")
                    .tag("provider", provider)
                    .register(meters);
            Gauge.builder("airlock.upstream.waiting", bulkhead.waitingGauge, AtomicInteger::get)
                    .description("Calls waiting for a slot to a provider")
                    .tag("provider", provider)
                    .register(meters);
            bulkhead.shed = Counter.builder("airlock.upstream.shed")
                    .description("Calls refused because a provider's in-flight limit and queue were full")
                    .tag("provider", provider)
                    .register(meters);
        }
        return bulkhead;
    }

    /** One provider's slots and queue; all state is guarded by {@code lock}. */
    private static final class Bulkhead {
        final Limits limits;
        final ReentrantLock lock = new ReentrantLock();
        final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
        final Map<String, Integer> inFlightOf = new HashMap<>();
        final Map<String, Integer> waitingOf = new HashMap<>();
        int inFlight;
        final AtomicInteger inFlightGauge = new AtomicInteger();
        final AtomicInteger waitingGauge = new AtomicInteger();
        final AtomicInteger peak = new AtomicInteger();

        @Nullable
        Counter shed;

        Bulkhead(Limits limits) {
            this.limits = limits;
        }

        /** A call waiting for a slot; it is either granted one or pushed out by a fairer claim. */
        private static final class Waiter {
            final String tenant;
            final Condition woken;
            boolean granted;
            boolean pushedOut;

            Waiter(String tenant, Condition woken) {
                this.tenant = tenant;
                this.woken = woken;
            }
        }

        @Nullable
        Slot enter(String tenant) {
            lock.lock();
            try {
                if (inFlight < limits.maxInFlight() && waiters.isEmpty()) {
                    take(tenant);
                    return slot(tenant);
                }
                if (waiters.size() >= limits.queue() && !pushOutFor(tenant)) {
                    return refused();
                }
                Waiter me = new Waiter(tenant, lock.newCondition());
                enqueue(me);
                long nanos = limits.queueTimeout().toNanos();
                try {
                    while (!me.granted && !me.pushedOut && nanos > 0) {
                        nanos = me.woken.awaitNanos(nanos);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (me.granted) {
                    return slot(tenant);
                }
                if (!me.pushedOut) {
                    dequeue(me);
                }
                return refused();
            } finally {
                lock.unlock();
            }
        }

        /**
         * Makes room in a full queue for {@code tenant} when another tenant has at least two more calls waiting:
         * that tenant's newest waiting call is shed. False when the queue is already fair to {@code tenant}.
         */
        private boolean pushOutFor(String tenant) {
            int mine = waitingOf.getOrDefault(tenant, 0);
            String greediest = null;
            int most = mine + 1;
            for (var e : waitingOf.entrySet()) {
                if (e.getValue() > most) {
                    greediest = e.getKey();
                    most = e.getValue();
                }
            }
            if (greediest == null) {
                return false;
            }
            var newestFirst = waiters.descendingIterator();
            while (newestFirst.hasNext()) {
                Waiter w = newestFirst.next();
                if (w.tenant.equals(greediest)) {
                    dequeue(w);
                    w.pushedOut = true;
                    w.woken.signal();
                    return true;
                }
            }
            return false;
        }

        /** Hands a freed slot to the waiting call whose tenant has the fewest calls in flight, oldest first. */
        private void release(String tenant) {
            lock.lock();
            try {
                inFlight--;
                count(inFlightOf, tenant, -1);
                inFlightGauge.set(inFlight);
                Waiter next = null;
                int fewest = Integer.MAX_VALUE;
                for (Waiter w : waiters) {
                    int held = inFlightOf.getOrDefault(w.tenant, 0);
                    if (held < fewest) {
                        next = w;
                        fewest = held;
                    }
                }
                if (next != null) {
                    dequeue(next);
                    take(next.tenant);
                    next.granted = true;
                    next.woken.signal();
                }
            } finally {
                lock.unlock();
            }
        }

        private void take(String tenant) {
            inFlight++;
            count(inFlightOf, tenant, 1);
            inFlightGauge.set(inFlight);
            peak.accumulateAndGet(inFlight, Math::max);
        }

        private void enqueue(Waiter w) {
            waiters.addLast(w);
            count(waitingOf, w.tenant, 1);
            waitingGauge.set(waiters.size());
        }

        private void dequeue(Waiter w) {
            waiters.remove(w);
            count(waitingOf, w.tenant, -1);
            waitingGauge.set(waiters.size());
        }

        private static void count(Map<String, Integer> counts, String tenant, int delta) {
            counts.merge(tenant, delta, (a, b) -> a + b == 0 ? null : a + b);
        }

        private @Nullable Slot refused() {
            if (shed != null) {
                shed.increment();
            }
            return null;
        }

        private Slot slot(String tenant) {
            var released = new AtomicBoolean();
            return () -> {
                if (released.compareAndSet(false, true)) {
                    release(tenant);
                }
            };
        }
    }
}
