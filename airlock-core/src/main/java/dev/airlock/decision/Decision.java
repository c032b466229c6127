package dev.airlock.decision;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One AI call as it happened: who asked, which model and provider answered, what the stages said, what
 * came out, what it used and how long it took. Immutable once built; everything downstream (audit,
 * monitoring, cost) reads Decisions.
 *
 * @param id unique, time-ordered id
 * @param startedAt when the request arrived
 * @param principal who asked; null only when authentication itself failed
 * @param kind chat, embedding or predict
 * @param model the model the client asked for (without the {@code @alias} or {@code @version} that pins a version;
 *     the resolve stage note says how the version was chosen)
 * @param modelVersion the version of that model that answered, or null if none was resolved
 * @param provider the provider that served the call, or null
 * @param upstreamModel the model name sent to the provider, or null
 * @param stream whether the answer was streamed
 * @param outcome answered, refused or failed, with the reason
 * @param usage tokens in and out
 * @param cost what the call cost in US dollars at the answering provider's prices, or null when unpriced
 * @param latencyMicros wall time from arrival to the recorded outcome
 * @param upstreamMicros time spent in the provider call
 * @param inputSha256 SHA-256 of the input as received (hex)
 * @param outputSha256 SHA-256 of the output as returned (hex), or null
 * @param reasons the explanation: reason codes, e.g. the top features behind a prediction
 * @param notes what each stage said
 * @param content the input and output as kept under the model's retention policy, or null when only their digests
 *     are kept
 * @param traceId the W3C trace id (32 hex digits) of the trace the call ran in, or null when tracing is off; it joins
 *     the Decision to its spans in a tracing backend
 * @param airlockVersion the build of Airlock that made the Decision (e.g. {@code 0.1.0 (abc1234)}), or null for
 *     Decisions recorded before builds were recorded
 * @param workflowStep the workflow run and step the call was made for, or null for a call outside any workflow
 */
public record Decision(
        String id,
        Instant startedAt,
        @Nullable Principal principal,
        RequestKind kind,
        @Nullable String model,
        @Nullable String modelVersion,
        @Nullable String provider,
        @Nullable String upstreamModel,
        boolean stream,
        Outcome outcome,
        Usage usage,
        @Nullable BigDecimal cost,
        long latencyMicros,
        long upstreamMicros,
        @Nullable String inputSha256,
        @Nullable String outputSha256,
        List<String> reasons,
        List<StageNote> notes,
        @Nullable Content content,
        @Nullable String traceId,
        @Nullable String airlockVersion,
        @Nullable WorkflowStep workflowStep) {

    /** A Decision made outside any workflow. */
    public Decision(
            String id,
            Instant startedAt,
            @Nullable Principal principal,
            RequestKind kind,
            @Nullable String model,
            @Nullable String modelVersion,
            @Nullable String provider,
            @Nullable String upstreamModel,
            boolean stream,
            Outcome outcome,
            Usage usage,
            @Nullable BigDecimal cost,
            long latencyMicros,
            long upstreamMicros,
            @Nullable String inputSha256,
            @Nullable String outputSha256,
            List<String> reasons,
            List<StageNote> notes,
            @Nullable Content content,
            @Nullable String traceId,
            @Nullable String airlockVersion) {
        this(
                id,
                startedAt,
                principal,
                kind,
                model,
                modelVersion,
                provider,
                upstreamModel,
                stream,
                outcome,
                usage,
                cost,
                latencyMicros,
                upstreamMicros,
                inputSha256,
                outputSha256,
                reasons,
                notes,
                content,
                traceId,
                airlockVersion,
                null);
    }

    /** A Decision whose build is not known. */
    public Decision(
            String id,
            Instant startedAt,
            @Nullable Principal principal,
            RequestKind kind,
            @Nullable String model,
            @Nullable String modelVersion,
            @Nullable String provider,
            @Nullable String upstreamModel,
            boolean stream,
            Outcome outcome,
            Usage usage,
            @Nullable BigDecimal cost,
            long latencyMicros,
            long upstreamMicros,
            @Nullable String inputSha256,
            @Nullable String outputSha256,
            List<String> reasons,
            List<StageNote> notes,
            @Nullable Content content,
            @Nullable String traceId) {
        this(
                id,
                startedAt,
                principal,
                kind,
                model,
                modelVersion,
                provider,
                upstreamModel,
                stream,
                outcome,
                usage,
                cost,
                latencyMicros,
                upstreamMicros,
                inputSha256,
                outputSha256,
                reasons,
                notes,
                content,
                traceId,
                null);
    }

    /** A Decision made outside any trace. */
    public Decision(
            String id,
            Instant startedAt,
            @Nullable Principal principal,
            RequestKind kind,
            @Nullable String model,
            @Nullable String modelVersion,
            @Nullable String provider,
            @Nullable String upstreamModel,
            boolean stream,
            Outcome outcome,
            Usage usage,
            @Nullable BigDecimal cost,
            long latencyMicros,
            long upstreamMicros,
            @Nullable String inputSha256,
            @Nullable String outputSha256,
            List<String> reasons,
            List<StageNote> notes,
            @Nullable Content content) {
        this(
                id,
                startedAt,
                principal,
                kind,
                model,
                modelVersion,
                provider,
                upstreamModel,
                stream,
                outcome,
                usage,
                cost,
                latencyMicros,
                upstreamMicros,
                inputSha256,
                outputSha256,
                reasons,
                notes,
                content,
                null,
                null);
    }

    public Decision {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(outcome, "outcome");
        usage = usage == null ? Usage.NONE : usage;
        // one scale (nano-dollars), so that a cost reads back and hashes exactly as it was recorded
        cost = cost == null ? null : cost.setScale(9, RoundingMode.HALF_UP);
        reasons = List.copyOf(reasons);
        notes = List.copyOf(notes);
    }

    /** This Decision with its content as now stored (kept, purged or erased). */
    public Decision withContent(Content now) {
        return new Decision(
                id,
                startedAt,
                principal,
                kind,
                model,
                modelVersion,
                provider,
                upstreamModel,
                stream,
                outcome,
                usage,
                cost,
                latencyMicros,
                upstreamMicros,
                inputSha256,
                outputSha256,
                reasons,
                notes,
                now,
                traceId,
                airlockVersion,
                workflowStep);
    }

    public boolean answered() {
        return outcome instanceof Outcome.Answered;
    }
}
