package dev.airlock.decision;

import org.jspecify.annotations.Nullable;

/** What one stage learned or decided about a Decision, e.g. {@code guard_input: pass}. */
public record StageNote(
        String stage, String verdict, @Nullable String detail) {}
