package dev.airlock.decision;

/** What one stage learned or decided about a Decision, e.g. {@code guard_input: pass}. */
public record StageNote(String stage, String verdict, String detail) {}
