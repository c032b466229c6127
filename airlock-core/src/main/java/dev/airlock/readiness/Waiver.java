package dev.airlock.readiness;

import java.time.Instant;

/** An admin's acceptance of a failed readiness check, with the justification the audit log keeps. */
public record Waiver(String model, String check, String justification, String actor, Instant at) {}
