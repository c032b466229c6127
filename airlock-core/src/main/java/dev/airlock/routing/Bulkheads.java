package dev.airlock.routing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admission control per provider: at most {@code maxInFlight} calls at once, at most {@code queue} more waiting, each
 * for at most {@code queueTimeout}. Past that a call is shed at once, so overload turns into fast 429s instead of
 * queues, piled-up timeouts and memory growth. Gauges {@code airlock.upstream.in_flight} and
 * {@code airlock.upstream.waiting}, counter {@code airlock.upstream.shed}.
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
    private final MeterRegistry meters;
    private final Map<String, Bulkhead> bulkheads = new ConcurrentHashMap<>();

    public Bulkheads(Map<String, Limits> limits, MeterRegistry meters) {
        this.limits = Map.copyOf(limits);
        this.meters = meters;
    }

    /** A slot for a call to {@code provider}, or null when it is full and its queue too (or the wait ran out). */
    public Slot enter(String provider) {
        return bulkheads.computeIfAbsent(provider, this::create).enter();
    }

    /** The most calls that were in flight at once to {@code provider} since start. */
    public int peakInFlight(String provider) {
        Bulkhead b = bulkheads.get(provider);
        return b == null ? 0 : b.peak.get();
    }

    private Bulkhead create(String provider) {
        var bulkhead = new Bulkhead(limits.getOrDefault(provider, Limits.DEFAULT));
        if (meters != null) {
            Gauge.builder("airlock.upstream.in_flight", bulkhead.inFlight, AtomicInteger::get)
                    .description("Calls in flight to a provider")
                    .tag("provider", provider)
                    .register(meters);
            Gauge.builder("airlock.upstream.waiting", bulkhead.waiting, AtomicInteger::get)
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

    private static final class Bulkhead {
        final Limits limits;
        final Semaphore slots;
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger waiting = new AtomicInteger();
        final AtomicInteger peak = new AtomicInteger();
        Counter shed;

        Bulkhead(Limits limits) {
            this.limits = limits;
            this.slots = new Semaphore(limits.maxInFlight(), true);
        }

        Slot enter() {
            if (!slots.tryAcquire() && !waitForSlot()) {
                if (shed != null) {
                    shed.increment();
                }
                return null;
            }
            int now = inFlight.incrementAndGet();
            peak.accumulateAndGet(now, Math::max);
            var released = new java.util.concurrent.atomic.AtomicBoolean();
            return () -> {
                if (released.compareAndSet(false, true)) {
                    inFlight.decrementAndGet();
                    slots.release();
                }
            };
        }

        private boolean waitForSlot() {
            if (waiting.incrementAndGet() > limits.queue()) {
                waiting.decrementAndGet();
                return false;
            }
            try {
                return slots.tryAcquire(limits.queueTimeout().toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } finally {
                waiting.decrementAndGet();
            }
        }
    }
}
