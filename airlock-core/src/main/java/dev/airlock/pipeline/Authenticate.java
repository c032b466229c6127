package dev.airlock.pipeline;

import dev.airlock.decision.Principal;
import org.jspecify.annotations.Nullable;

/** Stage 1: turns the presented credentials into a principal, or stops the Decision with 401. */
public interface Authenticate {
    String STAGE = "authenticate";

    /**
     * @param credentials the bearer token as presented, or null when none was
     * @throws dev.airlock.decision.Stop.Stopped with status 401 when the credentials do not name an active key
     */
    Principal authenticate(@Nullable String credentials);
}
