package dev.airlock.alert;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One line of an alert's history: a state change, an acknowledgement, an escalation. Kept so that an incident's
 * timeline can later be built from them.
 *
 * @param from the state before (null when the alert was opened)
 * @param to the state after, or the event ({@code acknowledged}, {@code escalated})
 */
public record AlertChange(String alertId, @Nullable String from, String to, double value, String actor, Instant at) {}
