package dev.airlock.pipeline;

import dev.airlock.decision.Principal;
import dev.airlock.decision.WorkflowStep;
import org.jspecify.annotations.Nullable;

/**
 * Who is calling and on whose behalf.
 *
 * @param credentials the API key as presented, or null
 * @param subject the data subject the request concerns (a customer or patient id), or null; content kept for a
 *     named subject is encrypted under that subject's key and can be erased with it
 * @param principal who asked, already authenticated: a workflow run calls on behalf of the key that started it
 *     (whose secret it never keeps); null to authenticate {@code credentials}
 * @param workflowStep the workflow run and step the call is made for, or null
 */
public record Caller(
        @Nullable String credentials,
        @Nullable String subject,
        @Nullable String reviewCallback,
        @Nullable Principal principal,
        @Nullable WorkflowStep workflowStep) {
    public Caller(@Nullable String credentials, @Nullable String subject, @Nullable String reviewCallback) {
        this(credentials, subject, reviewCallback, null, null);
    }

    public Caller(@Nullable String credentials, @Nullable String subject) {
        this(credentials, subject, null);
    }

    /** A call made by a workflow run for one of its steps, on behalf of the principal that started the run. */
    public static Caller inRun(Principal startedBy, WorkflowStep step, @Nullable String subject) {
        return new Caller(null, subject, null, startedBy, step);
    }

    public static Caller of(@Nullable String credentials) {
        return new Caller(credentials, null, null);
    }
}
