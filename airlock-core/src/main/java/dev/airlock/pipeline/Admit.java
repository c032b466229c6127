package dev.airlock.pipeline;

import dev.airlock.decision.Principal;
import dev.airlock.provider.AiRequest;

/**
 * Stage 2: decides whether a request may start now (rate limits, budgets), or stops it with 429. The returned
 * admission is closed when the request ends, releasing what it held and settling what the call really used (the
 * draft knows its usage and cost by then).
 */
public interface Admit {
    String STAGE = "admit";

    /** Admits everything. */
    Admit UNLIMITED = (draft, principal, request) -> Admission.NONE;

    /**
     * @throws dev.airlock.decision.Stop.Stopped with status 429 when the request must wait
     */
    Admission admit(DecisionDraft draft, Principal principal, AiRequest request);

    /**
     * Admits a copy of an answered call made by Airlock itself (a shadow copy): it spends against the same budgets,
     * but it is not the caller's request, so it takes nothing from the caller's rate limits.
     *
     * @throws dev.airlock.decision.Stop.Stopped with status 429 when the budgets cannot cover it
     */
    default Admission admitCopy(DecisionDraft draft, Principal principal, AiRequest request) {
        return admit(draft, principal, request);
    }

    /** What an admitted request holds until it ends. */
    interface Admission extends AutoCloseable {
        Admission NONE = () -> {};

        /**
         * Holds what another upstream call for the same Decision could cost (a repair attempt) before it is made.
         *
         * @throws dev.airlock.decision.Stop.Stopped with status 429 when the budgets cannot cover it
         */
        default void again(AiRequest request) {}

        @Override
        void close();
    }
}
