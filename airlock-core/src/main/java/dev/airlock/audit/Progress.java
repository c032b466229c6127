package dev.airlock.audit;

import java.util.concurrent.atomic.AtomicLong;

/** How far a verification has got, readable from another thread (a command line that shows progress). */
public final class Progress {
    private final AtomicLong done = new AtomicLong();
    private volatile long total;
    private volatile String phase = "records";

    /** What is being counted now: {@code records} (the chain), then {@code index rows} for a deep verification. */
    public String phase() {
        return phase;
    }

    public long done() {
        return done.get();
    }

    /** How many there are to do in this phase. */
    public long total() {
        return total;
    }

    void start(String name, long count) {
        phase = name;
        total = count;
        done.set(0);
    }

    void add(long count) {
        done.addAndGet(count);
    }
}
