package dev.airlock.pipeline;

import dev.airlock.decision.Principal;

/**
 * Stage 2: decides whether a request may start now (rate limits, budgets, bounded concurrency), or stops it
 * with 429. The returned admission is closed when the request ends, releasing what it held.
 */
public interface Admit {
    String STAGE = "admit";

    /** Admits everything. */
    Admit UNLIMITED = (principal, model) -> Admission.NONE;

    /**
     * @throws dev.airlock.decision.Stop.Stopped with status 429 when the request must wait or go elsewhere
     */
    Admission admit(Principal principal, String model);

    /** What an admitted request holds until it ends. */
    interface Admission extends AutoCloseable {
        Admission NONE = () -> {};

        @Override
        void close();
    }
}
