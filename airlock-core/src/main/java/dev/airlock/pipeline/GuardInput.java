package dev.airlock.pipeline;

import dev.airlock.provider.AiRequest;

/**
 * Stage 4: inspects, and may rewrite (e.g. redact) or refuse, the input before it leaves for a provider.
 * Notes what it decided on the draft.
 */
public interface GuardInput {
    String STAGE = "guard_input";

    /** Lets everything through unchanged. */
    GuardInput NONE = (draft, request) -> request;

    /**
     * @return the request to send on, possibly rewritten
     * @throws dev.airlock.decision.Stop.Stopped when the input must not be sent
     */
    AiRequest check(DecisionDraft draft, AiRequest request);

    /** These guards in order, each checking what the one before let through. */
    static GuardInput all(GuardInput... guards) {
        return (draft, request) -> {
            AiRequest checked = request;
            for (GuardInput g : guards) {
                checked = g.check(draft, checked);
            }
            return checked;
        };
    }
}
