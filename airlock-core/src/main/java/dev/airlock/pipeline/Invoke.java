package dev.airlock.pipeline;

import dev.airlock.cache.AnswerCache;
import dev.airlock.decision.Stop;
import dev.airlock.decision.Usage;
import dev.airlock.provider.ChatChunk;
import dev.airlock.provider.ChatProvider;
import dev.airlock.provider.ChatRequest;
import dev.airlock.provider.ChatResult;
import dev.airlock.provider.ChunkSink;
import dev.airlock.provider.EmbeddingProvider;
import dev.airlock.provider.EmbeddingRequest;
import dev.airlock.provider.EmbeddingResult;
import dev.airlock.provider.PredictRequest;
import dev.airlock.provider.Prediction;
import dev.airlock.provider.ProviderException;
import dev.airlock.provider.StreamSummary;
import dev.airlock.provider.TabularModel;
import dev.airlock.registry.ServedModel;
import dev.airlock.routing.Breakers;
import dev.airlock.routing.Bulkheads;
import dev.airlock.routing.RoutePolicy;
import dev.airlock.routing.Target;
import dev.airlock.time.Ticker;
import dev.airlock.time.Time;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 5: calls the model along its route. Each target is tried up to the policy's attempts on retryable failures
 * (unreachable, timeout, 429, 5xx, malformed answers), waiting between attempts with exponential backoff and full
 * jitter, or the upstream's {@code Retry-After}; then the next target takes over. A target that timed out is not
 * waited on again while another target remains. A target whose circuit breaker is open, or that has retired, is
 * skipped at no cost. No attempt starts after the deadline, and each attempt waits at most its
 * {@linkplain RoutePolicy#attemptLimit share} of what is left of it, so a hung target leaves the fallbacks their turn.
 * The deadline bounds streams too: one still running when it passes is cut off with an error. A stream that already
 * sent part of its answer is never retried: it ends with an error, and the caller is charged for what was sent (an
 * estimate when the upstream never reported usage). Every attempt leaves a note in the Decision; failures the caller
 * caused (other 4xx) are not retried.
 *
 * <p>Time comes from a {@link Time}: its ticker measures the deadline and each attempt, its sleeper waits out the
 * backoff, its clock dates the call for retirement; so a test on fake time sees exact backoffs and deadlines.
 */
public final class Invoke {
    public static final String STAGE = "invoke";

    /** The status recorded when the caller disconnects mid-answer (nginx's convention). */
    public static final int CLIENT_CLOSED = 499;

    private static final Logger LOG = LoggerFactory.getLogger(Invoke.class);

    /** Timers fire a little early or late; a timeout this close to a limit is taken as that limit firing. */
    private static final long MARGIN_NANOS = 5_000_000L;

    private final Breakers breakers;
    private final Bulkheads bulkheads;
    private final Time time;
    private final Ticker ticker;
    private final DoubleSupplier jitter;
    private final @Nullable AnswerCache cache;
    private final Traces traces;

    /** @param jitter uniform in [0, 1): where in its range each backoff falls (full jitter) */
    Invoke(
            Breakers breakers,
            Bulkheads bulkheads,
            Time time,
            DoubleSupplier jitter,
            @Nullable AnswerCache cache,
            Traces traces) {
        this.traces = traces;
        this.breakers = breakers;
        this.bulkheads = bulkheads;
        this.time = time;
        this.ticker = time.ticker();
        this.jitter = jitter;
        this.cache = cache;
    }

    /**
     * One try at one target, allowed {@code limit} to answer (a stream: to start), and {@code end} for everything
     * (what is left of the deadline).
     */
    @FunctionalInterface
    private interface Attempt<T> {
        T call(Target target, Duration limit, Duration end);
    }

    ChatResult chat(DecisionDraft draft, ServedModel served, ChatRequest request) {
        String tenant = Objects.requireNonNull(draft.principal(), "authenticated before invoke")
                .tenant();
        AnswerCache.Lookup lookup = cache == null ? null : cache.lookup(tenant, served, request);
        if (lookup != null) {
            var hit = lookup.hit();
            if (hit.isPresent()) {
                ChatResult cached = hit.get().answer();
                draft.cacheHit(hit.get().kind(), cached.upstreamModel());
                draft.note(
                        STAGE,
                        "cache_hit",
                        hit.get().kind()
                                + (hit.get().kind().equals("semantic")
                                        ? String.format(
                                                Locale.ROOT,
                                                " (similarity %.3f)",
                                                hit.get().similarity())
                                        : ""));
                return cached;
            }
        }
        ChatResult result = route(
                draft,
                served,
                (target, limit, end) ->
                        ((ChatProvider) target.instance()).complete(target.upstreamModel(), request, limit));
        draft.invoked(result.usage(), result.upstreamModel());
        if (cache != null) {
            cache.store(tenant, served, request, result, lookup);
        }
        return result;
    }

    StreamSummary stream(DecisionDraft draft, ServedModel served, ChatRequest request, ChunkSink sink) {
        sink.opened(draft.id());
        var counting = new CountingSink(sink);
        StreamSummary summary;
        try {
            summary = route(
                    draft,
                    served,
                    (target, limit, end) -> ((ChatProvider) target.instance())
                            .stream(target.upstreamModel(), request, counting, limit, end));
        } catch (Stop.Stopped broken) {
            if (counting.chars > 0) {
                // the caller got part of an answer whose usage the upstream never reported: charge it, estimated
                draft.invoked(estimatedUsage(request, counting.chars), null);
                draft.note(
                        STAGE,
                        "usage_estimated",
                        "the stream ended early (" + broken.stop().code() + ") after " + counting.chars
                                + " characters were sent; tokens estimated from the prompt and the text sent");
            }
            throw broken;
        }
        draft.invoked(summary.usage(), summary.upstreamModel());
        return summary;
    }

    /** About four characters a token, plus a few per message for its framing: the usual rough count. */
    private static Usage estimatedUsage(ChatRequest request, long charsSent) {
        long in = 0;
        for (var m : request.messages()) {
            in += (m.text() == null ? 0 : m.text().length()) / 4 + 4;
        }
        return new Usage(in, charsSent / 4 + 1);
    }

    /** The caller's side of a stream failed: the caller went away, nobody else did anything wrong. */
    private static final class CallerGone extends UncheckedIOException {
        CallerGone(UncheckedIOException cause) {
            super(cause.getMessage(), cause.getCause());
        }
    }

    /** Counts the answer text passed on, so that a broken stream can still be charged. */
    private static final class CountingSink implements ChunkSink {
        private final ChunkSink sink;
        private long chars;

        CountingSink(ChunkSink sink) {
            this.sink = sink;
        }

        @Override
        public void accept(ChatChunk chunk) {
            try {
                sink.accept(chunk);
            } catch (UncheckedIOException gone) {
                throw new CallerGone(gone);
            }
            chars += chunk.deltaText() == null ? 0 : chunk.deltaText().length();
        }

        @Override
        public void opened(String decisionId) {
            sink.opened(decisionId);
        }
    }

    EmbeddingResult embed(DecisionDraft draft, ServedModel served, EmbeddingRequest request) {
        EmbeddingResult result = route(
                draft,
                served,
                (target, limit, end) ->
                        ((EmbeddingProvider) target.instance()).embed(target.upstreamModel(), request, limit));
        draft.invoked(result.usage(), result.upstreamModel());
        return result;
    }

    Prediction predict(DecisionDraft draft, ServedModel served, PredictRequest request) {
        Prediction prediction =
                route(draft, served, (target, limit, end) -> ((TabularModel) target.instance()).predict(request));
        draft.invoked(Usage.NONE, null);
        // the explanation travels with the record: the top reason codes behind this prediction
        prediction.reasons().forEach(draft::reason);
        return prediction;
    }

    private <T> T route(DecisionDraft draft, ServedModel served, Attempt<T> attempt) {
        RoutePolicy policy = served.policy();
        String tenant = draft.principal() == null ? null : draft.principal().tenant();
        long start = ticker.read();
        long deadline = start + policy.deadline().toNanos();
        LocalDate today = LocalDate.ofInstant(time.clock().instant(), ZoneOffset.UTC);
        ProviderException last = null;
        boolean shed = false;
        boolean detoured = false; // a failure or skip before the answer: the notes say how it got there
        List<Target> order = served.attemptOrder(ThreadLocalRandom.current().nextDouble());
        try {
            for (int i = 0; i < order.size(); i++) {
                Target target = order.get(i);
                boolean lastTarget = i == order.size() - 1;
                if (target.retiredOn(today)) {
                    draft.note(STAGE, "skipped", target + " retired on " + target.retiresOn());
                    detoured = true;
                    continue;
                }
                if (target.deprecatedOn(today)) {
                    draft.note(STAGE, "deprecated", target + " is deprecated; retires on " + target.retiresOn());
                }
                CircuitBreaker breaker = breakers.of(target);
                for (int n = 1; n <= policy.attempts(); n++) {
                    long left = deadline - ticker.read();
                    if (left <= 0) {
                        throw deadlineStop(served, last).toException();
                    }
                    Bulkheads.Slot slot = bulkheads.enter(target.provider(), tenant);
                    left = deadline - ticker.read(); // waiting for a slot used some of it
                    if (slot != null && left <= 0) {
                        slot.close();
                        throw deadlineStop(served, last).toException();
                    }
                    if (slot == null) {
                        draft.note(STAGE, "shed", target + ": at its in-flight limit and queue, skipped");
                        detoured = true;
                        shed = true;
                        break;
                    }
                    if (!Breakers.admits(breaker)) {
                        slot.close();
                        draft.note(STAGE, "breaker_open", target + ": circuit open, skipped");
                        detoured = true;
                        break;
                    }
                    Duration remaining = Duration.ofNanos(left);
                    Duration limit = policy.attemptLimit(remaining, order.size() - i);
                    long t0 = ticker.read();
                    Traces.Step span = traces.attempt(draft.kind(), target, n);
                    try (slot;
                            span) {
                        T answer = traced(span, () -> attempt.call(target, limit, remaining));
                        Breakers.record(breaker, ticker.read() - t0, null);
                        draft.served(target);
                        if (detoured) {
                            draft.note(STAGE, "answered", target + " on attempt " + n);
                        }
                        return answer;
                    } catch (ProviderException e) {
                        long took = ticker.read() - t0;
                        boolean timedOut = e.kind() == ProviderException.Kind.TIMEOUT;
                        boolean ourDeadline = timedOut && ticker.read() - deadline >= -MARGIN_NANOS;
                        if (ourDeadline) {
                            // cut short by this call's deadline, not the provider's fault
                            breaker.releasePermission();
                        } else if (e.retryable()) {
                            Breakers.record(breaker, took, e);
                        } else {
                            breaker.onSuccess(took, TimeUnit.NANOSECONDS);
                        }
                        if (e.afterFirstChunk()) {
                            draft.served(target); // part of the answer went out: charge where it came from
                        }
                        ProviderException failure = timedOut
                                        && !ourDeadline
                                        && !e.afterFirstChunk() // a stream that started is not bound by it
                                        && limit.compareTo(remaining) < 0
                                        && took >= limit.toNanos() - MARGIN_NANOS
                                ? namingAttemptLimit(e, served)
                                : e;
                        draft.note(STAGE, "failed", target + " attempt " + n + ": " + failure.getMessage());
                        detoured = true;
                        if (ourDeadline) {
                            throw deadlineStop(served, failure).toException();
                        }
                        if (!failure.retryable() || failure.afterFirstChunk()) {
                            throw toStop(failure).toException();
                        }
                        last = failure;
                        if (timedOut && !lastTarget) {
                            break; // a target that hangs is not waited on again while another may answer
                        }
                        if (n < policy.attempts() && !waitBeforeRetry(policy, n + 1, failure, deadline)) {
                            break; // the upstream asks for a longer wait than we give it: try the next target
                        }
                    } catch (CallerGone gone) {
                        breaker.releasePermission();
                        draft.served(target); // part of the answer went out: charge where it came from
                        throw gone;
                    } catch (RuntimeException | Error other) {
                        breaker.releasePermission();
                        throw other;
                    }
                }
            }
        } catch (CallerGone callerGone) {
            throw new Stop(
                            STAGE,
                            CLIENT_CLOSED,
                            "api_error",
                            "client_disconnected",
                            "the caller went away before the answer was complete",
                            null)
                    .toException();
        } finally {
            draft.upstreamMicros((ticker.read() - start) / 1_000);
        }
        if (last == null && shed) {
            throw new Stop(
                            Admit.STAGE,
                            429,
                            "rate_limit_error",
                            "overloaded",
                            "Model '" + served.spec().name() + "' is at capacity (its upstreams' in-flight limits and"
                                    + " queues are full); retry shortly.",
                            null)
                    .retryingAfter(Duration.ofSeconds(1))
                    .toException();
        }
        if (last != null) {
            Stop stop = toStop(last);
            throw (last.retryAfter() != null ? stop.retryingAfter(last.retryAfter()) : stop).toException();
        }
        throw new Stop(
                        STAGE,
                        503,
                        "api_error",
                        "no_upstream_available",
                        "No upstream of model '" + served.spec().name()
                                + "' can take calls now (circuit breakers open or targets retired); retry later.",
                        null)
                .retryingAfter(Duration.ofSeconds(5))
                .toException();
    }

    /** One attempt inside its span: the span says what came back, or why it failed, before it ends. */
    private static <T> T traced(Traces.Step span, Supplier<T> attempt) {
        try {
            T answer = attempt.get();
            span.answered(answer);
            return answer;
        } catch (ProviderException e) {
            span.failed(e);
            throw e;
        } catch (RuntimeException | Error e) {
            span.broke(e);
            throw e;
        }
    }

    /** Sleeps before the next attempt; false when the wait would pass the deadline or the policy's longest backoff. */
    private boolean waitBeforeRetry(RoutePolicy policy, int nextAttempt, ProviderException e, long deadline) {
        Duration wait =
                e.retryAfter() != null ? e.retryAfter() : policy.backoffBefore(nextAttempt, jitter.getAsDouble());
        if (wait.compareTo(policy.maxBackoff()) > 0 || ticker.read() + wait.toNanos() >= deadline) {
            return false;
        }
        try {
            time.sleeper().sleep(wait);
            return true;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            LOG.debug("interrupted while backing off");
            return false;
        }
    }

    private static Stop deadlineStop(ServedModel served, @Nullable ProviderException last) {
        return new Stop(
                STAGE,
                504,
                "api_error",
                "deadline_exceeded",
                "The call did not complete within its deadline of "
                        + served.policy().deadline().toMillis() + " ms (models."
                        + served.spec().name()
                        + ".deadline)"
                        + (last == null ? "." : "; last failure: " + last.getMessage()),
                null);
    }

    /** The same timeout, saying that the attempt's own limit is the one that fired, and where it comes from. */
    private static ProviderException namingAttemptLimit(ProviderException e, ServedModel served) {
        String key = "models." + served.spec().name() + ".attempt_timeout";
        String which = served.policy().attemptTimeout() != null
                ? "the per-attempt timeout (" + key + ")"
                : "the per-attempt limit, an equal share of the deadline per target left to try (" + key + " sets it)";
        return new ProviderException(
                e.kind(),
                e.upstreamStatus(),
                e.getMessage() + ": that is " + which,
                e.afterFirstChunk(),
                e.retryAfter(),
                e.getCause());
    }

    /** The stop a caller sees for a provider failure. */
    static Stop toStop(ProviderException e) {
        String message = messageOf(e);
        return switch (e.kind()) {
            case TIMEOUT -> new Stop(STAGE, 504, "api_error", "upstream_timeout", message, null);
            case UNREACHABLE -> new Stop(STAGE, 502, "api_error", "upstream_unreachable", message, null);
            case MALFORMED -> new Stop(STAGE, 502, "api_error", "upstream_malformed_response", message, null);
            case INTERNAL -> new Stop(STAGE, 502, "api_error", "model_failed", message, null);
            case STATUS -> statusStop(e);
        };
    }

    private static Stop statusStop(ProviderException e) {
        int status = e.upstreamStatus();
        if (status == 400 || status == 404 || status == 422) {
            return new Stop(STAGE, 400, "invalid_request_error", "upstream_rejected", messageOf(e), null);
        }
        if (status == 429) {
            return new Stop(STAGE, 429, "rate_limit_error", "upstream_rate_limited", messageOf(e), null);
        }
        return new Stop(STAGE, 502, "api_error", "upstream_error", messageOf(e), null);
    }

    /** A provider failure always carries a message; its kind stands in should one ever come without. */
    private static String messageOf(ProviderException e) {
        return Objects.requireNonNullElse(e.getMessage(), e.kind().toString());
    }
}
