package dev.airlock.incident;

import java.util.List;
import java.util.Objects;

/**
 * What an incident taught, written when it is resolved: what caused it, what was done, and what is still to do.
 *
 * @param cause why it happened, in words
 * @param action what was done to end it
 * @param followUps what is still to do so that it does not happen again (may be empty)
 */
public record PostIncident(String cause, String action, List<String> followUps) {
    public PostIncident {
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(action, "action");
        followUps = List.copyOf(followUps);
    }
}
