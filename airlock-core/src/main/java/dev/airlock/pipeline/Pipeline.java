package dev.airlock.pipeline;

import dev.airlock.audit.Sha256;
import dev.airlock.cache.AnswerCache;
import dev.airlock.decision.Content;
import dev.airlock.decision.Decision;
import dev.airlock.decision.DecisionIds;
import dev.airlock.decision.Outcome;
import dev.airlock.decision.Principal;
import dev.airlock.decision.RequestKind;
import dev.airlock.decision.Role;
import dev.airlock.decision.Stop;
import dev.airlock.decision.UnstorableText;
import dev.airlock.decision.WorkflowStep;
import dev.airlock.pii.PiiDetector;
import dev.airlock.provider.AiAnswer;
import dev.airlock.provider.AiRequest;
import dev.airlock.provider.ChatMessage;
import dev.airlock.provider.ChatRequest;
import dev.airlock.provider.ChatResult;
import dev.airlock.provider.ChunkSink;
import dev.airlock.provider.EmbeddingRequest;
import dev.airlock.provider.EmbeddingResult;
import dev.airlock.provider.PredictRequest;
import dev.airlock.provider.Prediction;
import dev.airlock.provider.StreamSummary;
import dev.airlock.registry.ModelCatalog;
import dev.airlock.registry.ModelSpec;
import dev.airlock.registry.PromptTemplate;
import dev.airlock.registry.Retention;
import dev.airlock.registry.ServedModel;
import dev.airlock.routing.Breakers;
import dev.airlock.routing.Bulkheads;
import dev.airlock.time.Time;
import io.opentelemetry.api.trace.Tracer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decision pipeline: every AI call passes authenticate, admit, resolve, guard input, invoke, guard output,
 * review, record and observe, in that order, and comes out as a recorded {@link Decision}. Any stage may stop the call
 * with a reason; the Decision is recorded either way.
 *
 * <pre>{@code
 * Pipeline pipeline = Pipeline.builder()
 *         .authenticate(ApiKeys.authenticator(keyStore, clock))
 *         .resolve(Resolve.from(catalog))
 *         .record(Record.storing(decisionLog, meterRegistry))
 *         .build();
 * Decided<ChatResult> decided = pipeline.chat(Caller.of(apiKey), request);
 * }</pre>
 */
public final class Pipeline {
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

    private static final PiiDetector REDACTOR = new PiiDetector();

    private final Time time;
    private final Clock clock;
    private final Authenticate authenticate;
    private final Admit admit;
    private final Resolve resolve;
    private final GuardInput guardInput;
    private final Invoke invoke;
    private final GuardOutput guardOutput;
    private final Review review;
    private final Record record;
    private final Observe observe;
    private final Shadows shadows;
    private final PromptStep prompts;
    private final ShadowComparison.Log shadowLog;
    private final Traces traces;
    private final @Nullable String airlockVersion;

    private Pipeline(Builder b) {
        this.airlockVersion = b.airlockVersion;
        this.time = b.time;
        this.clock = b.time.clock();
        this.traces = b.tracer == null ? Traces.OFF : new Traces(b.tracer);
        this.authenticate = Objects.requireNonNull(b.authenticate, "an authenticate stage is required");
        this.admit = b.admit;
        this.resolve = Objects.requireNonNull(b.resolve, "a resolve stage is required");
        this.guardInput = b.guardInput;
        this.invoke = new Invoke(
                b.breakers != null ? b.breakers : new Breakers(Map.of(), null, b.time.ticker()),
                b.bulkheads,
                b.time,
                b.jitter,
                b.cache,
                traces);
        this.guardOutput = b.guardOutput;
        this.review = b.review;
        this.record = Objects.requireNonNull(b.record, "a record stage is required");
        this.observe = b.observe;
        this.shadows = new Shadows(b.shadowsInFlight);
        this.shadowLog = b.shadowLog;
        this.prompts = new PromptStep(b.prompts);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Checks credentials without making a Decision, for requests that are not AI calls (listing models).
     *
     * @throws Stop.Stopped with status 401 when they do not name an active key
     */
    public Principal authenticate(String credentials) {
        return authenticate.authenticate(credentials);
    }

    /** A chat completion, answered whole. */
    public Decided<ChatResult> chat(Caller caller, ChatRequest request) {
        return decide(
                caller,
                RequestKind.CHAT,
                request,
                false,
                (draft, served, guarded) -> invoke.chat(draft, served, (ChatRequest) guarded));
    }

    /**
     * A chat completion streamed to {@code sink} chunk by chunk. Stops before the first chunk come back as a
     * refused or failed Decision with nothing sent to the sink; a failure after it is recorded as failed and the
     * caller must end the stream with an error.
     */
    public Decided<StreamSummary> chatStream(Caller caller, ChatRequest request, ChunkSink sink) {
        return decide(
                caller,
                RequestKind.CHAT,
                request,
                true,
                (draft, served, guarded) -> invoke.stream(draft, served, (ChatRequest) guarded, sink));
    }

    public Decided<EmbeddingResult> embed(Caller caller, EmbeddingRequest request) {
        return decide(
                caller,
                RequestKind.EMBEDDING,
                request,
                false,
                (draft, served, guarded) -> invoke.embed(draft, served, (EmbeddingRequest) guarded));
    }

    public Decided<Prediction> predict(Caller caller, PredictRequest request) {
        return decide(
                caller,
                RequestKind.PREDICT,
                request,
                false,
                (draft, served, guarded) -> invoke.predict(draft, served, (PredictRequest) guarded));
    }

    /**
     * A workflow's call of a declared tool, recorded as its own Decision (kind {@code tool}, model the tool's name):
     * who asked, the digests of the arguments and of what came back, how long it took and why it was refused or
     * failed. The tool runs only once the caller is authenticated and may call; what it throws as a {@link Stop}
     * is the Decision's outcome.
     *
     * @param argumentsJson the arguments as sent, for the input digest (and the content, when kept)
     */
    public Decided<String> tool(Caller caller, String tool, String argumentsJson, ToolCall call) {
        var now = clock.instant();
        var draft = new DecisionDraft(
                DecisionIds.next(now.toEpochMilli()),
                now,
                time.ticker(),
                RequestKind.TOOL,
                tool,
                false,
                Sha256.hex(argumentsJson));
        draft.airlockVersion(airlockVersion);
        draft.workflowStep(caller.workflowStep());
        String output = null;
        Outcome outcome;
        try (Traces.Step span = traces.decision(RequestKind.TOOL, tool, draft.id())) {
            draft.traceId(span.traceId());
            try {
                Principal principal = authenticated(draft, caller);
                if (!principal.role().may(Role.Permission.CALL_MODELS)) {
                    throw Stop.invalid("tool", "tool", "the key '" + principal.keyId() + "' may not call tools")
                            .toException();
                }
                output = traces.in("tool", () -> call.call(draft));
                draft.output(Sha256.hex(output));
                outcome = new Outcome.Answered();
            } catch (Stop.Stopped stopped) {
                outcome = DecisionDraft.outcomeOf(stopped.stop());
            }
            Decision decision = draft.build(outcome);
            boolean stored = record.record(decision);
            span.decided(decision);
            return new Decided<>(decision, decision.answered() ? output : null, stored);
        }
    }

    /** A tool's work: what it returns is the tool's answer; a {@link Stop} it throws ends the Decision. */
    @FunctionalInterface
    public interface ToolCall {
        /** @param draft the Decision being made, to note what the tool did */
        String call(DecisionDraft draft);
    }

    /** The caller's principal: authenticated from its credentials, or the one a workflow run acts for. */
    private Principal authenticated(DecisionDraft draft, Caller caller) {
        Principal given = caller.principal();
        Principal principal = given != null
                ? given
                : traces.in(Authenticate.STAGE, () -> authenticate.authenticate(caller.credentials()));
        draft.authenticated(principal);
        WorkflowStep step = caller.workflowStep();
        if (given != null && step != null) {
            draft.note(Authenticate.STAGE, "workflow", "run " + step.runId() + " on behalf of key " + given.keyId());
        }
        return principal;
    }

    /** The call to the provider, once the stages before it have passed. */
    @FunctionalInterface
    private interface Call<T extends AiAnswer> {
        T invoke(DecisionDraft draft, ServedModel served, AiRequest guarded);
    }

    private <T extends AiAnswer> Decided<T> decide(
            Caller caller, RequestKind kind, AiRequest request, boolean stream, Call<T> call) {
        var now = clock.instant();
        var draft = new DecisionDraft(
                DecisionIds.next(now.toEpochMilli()),
                now,
                time.ticker(),
                kind,
                ModelCatalog.baseName(request.model()),
                stream,
                Digests.of(request));
        draft.airlockVersion(airlockVersion);
        draft.workflowStep(caller.workflowStep());
        draft.reviewCallback(caller.reviewCallback());
        draft.subject(caller.subject());
        try (Traces.Step span = traces.decision(kind, ModelCatalog.baseName(request.model()), draft.id())) {
            draft.traceId(span.traceId());
            Decided<T> decided = decide(draft, caller, kind, request, call, now);
            span.decided(decided.decision());
            return decided;
        }
    }

    private <T extends AiAnswer> Decided<T> decide(
            DecisionDraft draft, Caller caller, RequestKind kind, AiRequest request, Call<T> call, Instant now) {
        T answer = null;
        Outcome outcome;
        try {
            answer = run(draft, caller, kind, request, call);
            draft.output(Digests.of(answer));
            outcome = new Outcome.Answered();
        } catch (Stop.Stopped stopped) {
            outcome = DecisionDraft.outcomeOf(stopped.stop());
        } catch (RuntimeException unexpected) {
            LOG.error("decision {} failed unexpectedly", draft.id(), unexpected);
            outcome = new Outcome.Failed(new Stop(
                    "pipeline",
                    500,
                    "api_error",
                    "internal_error",
                    "Airlock failed to complete the request; quote decision id " + draft.id() + " when reporting it.",
                    null));
        }
        keepContent(draft, caller, request, answer, now);
        Decision decision = draft.build(outcome);
        boolean stored;
        try {
            stored = traces.in(Record.STAGE, () -> record.record(decision));
        } catch (UnstorableText unstorable) {
            // the call carried text no store can keep: the caller's to fix, and no one else's call is affected
            LOG.warn("decision {} was not recorded: {}", decision.id(), unstorable.getMessage());
            return new Decided<>(draft.build(new Outcome.Refused(unstorable(unstorable))), null, false);
        } catch (RuntimeException notRecorded) {
            // An answer whose Decision is not durable must not reach the caller.
            LOG.error("decision {} could not be recorded; the caller gets 503", decision.id(), notRecorded);
            return new Decided<>(draft.build(new Outcome.Failed(notRecorded(decision.id()))), null, false);
        }
        if (stored) {
            Observers.safely(observe, decision, request, decision.answered() ? answer : null);
        }
        if (decision.answered() && draft.shadow() != null) {
            copyToShadow(
                    decision,
                    caller,
                    request,
                    Objects.requireNonNull(answer, "an answered call has an answer"),
                    draft.shadow());
        }
        return new Decided<>(decision, decision.answered() ? answer : null, stored, draft.attempts());
    }

    /**
     * Sends a copy of an answered call to the shadow version, off the caller's path: it passes the guards for its own
     * destination, is recorded as its own Decision, and is compared with production's answer. Never returned.
     */
    private void copyToShadow(Decision production, Caller caller, AiRequest request, AiAnswer answer, ServedModel to) {
        shadows.submit(() -> {
            AiRequest copy = Shadows.copyOf(request);
            var now = clock.instant();
            var draft = new DecisionDraft(
                    DecisionIds.next(now.toEpochMilli()),
                    now,
                    time.ticker(),
                    production.kind(),
                    production.model(),
                    false,
                    Digests.of(copy));
            draft.airlockVersion(airlockVersion);
            Principal who = Objects.requireNonNull(production.principal(), "an answered call has a principal");
            draft.authenticated(who);
            draft.resolved(to.spec());
            draft.served(to);
            draft.note(Resolve.STAGE, Resolution.SHADOW, "copy of " + production.id());
            AiAnswer shadowAnswer = null;
            Outcome outcome;
            try (Admit.Admission admission = admit.admitCopy(draft, who, copy)) {
                AiRequest guarded = guardInput.check(draft, prompts.prepare(draft, to, copy));
                AiAnswer raw = switch (guarded) {
                    case ChatRequest chat -> invoke.chat(draft, to, chat);
                    case EmbeddingRequest embed -> invoke.embed(draft, to, embed);
                    case PredictRequest predict -> invoke.predict(draft, to, predict);
                };
                shadowAnswer = Detokenize.restore(guardOutput.check(draft, guarded, raw), draft.tokens());
                draft.output(Digests.of(shadowAnswer));
                outcome = new Outcome.Answered();
            } catch (Stop.Stopped stopped) {
                outcome = DecisionDraft.outcomeOf(stopped.stop());
            } catch (RuntimeException unexpected) {
                LOG.warn("shadow copy of decision {} failed unexpectedly", production.id(), unexpected);
                outcome = new Outcome.Failed(
                        new Stop("pipeline", 500, "api_error", "internal_error", "shadow copy failed", null));
            }
            keepContent(draft, caller, copy, shadowAnswer, now);
            Decision copied = draft.build(outcome);
            try {
                if (record.record(copied)) {
                    Observers.safely(observe, copied, copy, copied.answered() ? shadowAnswer : null);
                }
                shadowLog.recordShadow(new ShadowComparison(
                        production.id(),
                        copied.id(),
                        production.model(),
                        production.modelVersion(),
                        copied.modelVersion(),
                        clock.instant(),
                        outcome.label(),
                        copied.answered() && Shadows.agree(answer, shadowAnswer),
                        production.latencyMicros(),
                        copied.latencyMicros(),
                        production.cost(),
                        copied.cost()));
            } catch (RuntimeException notRecorded) {
                LOG.warn(
                        "shadow copy {} of decision {} could not be recorded",
                        copied.id(),
                        production.id(),
                        notRecorded);
            }
        });
    }

    /** Shadow copies skipped because {@code shadowsInFlight} copies were running. */
    public long shadowCopiesSkipped() {
        return shadows.skipped();
    }

    /** Keeps input and output as the model's retention policy says; digests are always kept. */
    private static void keepContent(
            DecisionDraft draft, Caller caller, AiRequest request, @Nullable AiAnswer answer, Instant now) {
        ModelSpec spec = draft.spec();
        if (spec == null || spec.retention().content() == Retention.Form.HASH) {
            if (caller.subject() != null) {
                draft.content(new Content(Content.State.NOT_KEPT, null, null, caller.subject(), null));
            }
            return;
        }
        var keepFor = spec.retention().keepFor();
        String input = ContentText.of(request);
        String output = answer == null ? null : ContentText.of(answer);
        if (spec.retention().content() == Retention.Form.REDACTED) {
            input = REDACTOR.redactAll(input);
            output = REDACTOR.redactAll(output);
        }
        draft.content(Content.kept(input, output, caller.subject(), keepFor == null ? null : now.plus(keepFor)));
    }

    private static Stop unstorable(UnstorableText e) {
        return new Stop(
                Record.STAGE,
                400,
                "invalid_request_error",
                "unstorable_text",
                "The request carries text the audit log cannot store (U+0000 in " + e.field()
                        + "); remove it and retry.",
                e.field());
    }

    private static Stop notRecorded(String id) {
        return new Stop(
                Record.STAGE,
                503,
                "api_error",
                "decision_not_recorded",
                "Airlock could not record the decision (" + id + ") and withholds the answer; retry later.",
                null);
    }

    @SuppressWarnings("unchecked")
    private <T extends AiAnswer> T run(
            DecisionDraft draft, Caller caller, RequestKind kind, AiRequest request, Call<T> call) {
        Principal principal = authenticated(draft, caller);
        if (!principal.role().may(Role.Permission.CALL_MODELS)) {
            throw new Stop(
                            Authenticate.STAGE,
                            403,
                            "invalid_request_error",
                            "permission_denied",
                            "The key '" + principal.keyId() + "' has role '"
                                    + principal.role().id()
                                    + "', which may not call models; use a key with role 'app'.",
                            null)
                    .toException();
        }
        try (Admit.Admission admission = traces.in(Admit.STAGE, () -> admit.admit(draft, principal, request))) {
            ServedModel served = traces.in(Resolve.STAGE, () -> resolve(draft, kind, request));
            AiRequest guarded =
                    traces.in(GuardInput.STAGE, () -> guardInput.check(draft, prompts.prepare(draft, served, request)));
            refuseStreamIfHeld(draft, request);
            T raw = traces.in(Invoke.STAGE, () -> call.invoke(draft, served, guarded));
            T checked = traces.in(GuardOutput.STAGE, () -> checkOrRepair(draft, admission, served, guarded, raw, call));
            refuseStreamIfHeld(draft, request);
            // the reviewer sees, and the caller would get, the answer with tokenized personal data restored
            T restored = (T) Detokenize.restore(checked, draft.tokens());
            return switch (traces.in(Review.STAGE, () -> review.review(draft, guarded, restored))) {
                case Review.Verdict.NotRequired notRequired -> restored;
                case Review.Verdict.Held held -> {
                    draft.note(Review.STAGE, "held", held.reviewId());
                    throw new Stop(
                                    Review.STAGE,
                                    202,
                                    "review_required",
                                    "held_for_review",
                                    "The answer is held for human review (" + held.reason() + "); review id "
                                            + held.reviewId() + ".",
                                    null)
                            .toException();
                }
            };
        }
    }

    /** Resolves the model to the version that serves the call, and notes how. */
    private ServedModel resolve(DecisionDraft draft, RequestKind kind, AiRequest request) {
        Resolution resolution = resolve.route(request.model(), kind);
        ServedModel served = resolution.served();
        draft.resolved(served.spec());
        draft.served(served);
        draft.note(Resolve.STAGE, resolution.route(), served.spec().version());
        draft.shadow(resolution.shadow());
        return served;
    }

    /**
     * The output guards' verdict; when a guard asks for a repair, the model is asked again with its answer and the
     * guard's feedback, within the guard's bound, each attempt noted and its tokens counted. Each repair holds its own
     * budget estimate before it is sent, so a repair is refused (429) rather than spent past a hard budget.
     */
    @SuppressWarnings("unchecked")
    private <T extends AiAnswer> T checkOrRepair(
            DecisionDraft draft,
            Admit.Admission admission,
            ServedModel served,
            AiRequest guarded,
            T raw,
            Call<T> call) {
        AiRequest request = guarded;
        T answer = raw;
        for (int attempt = 1; ; attempt++) {
            try {
                return (T) guardOutput.check(draft, request, answer);
            } catch (GuardOutput.Repair repair) {
                if (attempt > repair.maxAttempts() || !(request instanceof ChatRequest chat) || chat.stream()) {
                    draft.reason("OUTPUT_INVALID");
                    throw new Stop(
                                    GuardOutput.STAGE,
                                    422,
                                    "invalid_request_error",
                                    "output_invalid",
                                    "The model's answer is invalid after " + (attempt - 1) + " repair attempt(s): "
                                            + repair.problem(),
                                    "response_format")
                            .toException();
                }
                draft.note(GuardOutput.STAGE, "repair", "attempt " + attempt + ": " + repair.problem());
                var messages = new ArrayList<>(chat.messages());
                messages.add(ChatMessage.of("assistant", ContentText.of(answer)));
                messages.add(ChatMessage.of("user", repair.feedback()));
                request = new ChatRequest(chat.model(), messages, chat.options(), false, chat.includeUsage());
                admission.again(request);
                var spent = draft.usage();
                if (draft.attempts().isEmpty()) {
                    draft.attempted(spent);
                }
                answer = call.invoke(draft, served, request);
                draft.attempted(draft.usage());
                draft.addUsage(spent);
            }
        }
    }

    /** A streamed answer reaches the caller as it is made: it cannot wait for a reviewer. */
    private static void refuseStreamIfHeld(DecisionDraft draft, AiRequest request) {
        if (!draft.reviewReasons().isEmpty() && request instanceof ChatRequest chat && chat.stream()) {
            throw new Stop(
                            Review.STAGE,
                            400,
                            "invalid_request_error",
                            "review_requires_complete_answer",
                            "This call needs human review (" + String.join(", ", draft.reviewReasons())
                                    + "), which a streamed answer cannot wait for; call without stream.",
                            "stream")
                    .toException();
        }
    }

    /** Assembles a pipeline; stages left unset pass everything through. */
    public static final class Builder {
        private Time time = Time.system();
        private DoubleSupplier jitter = () -> ThreadLocalRandom.current().nextDouble();
        private @Nullable Authenticate authenticate;
        private Admit admit = Admit.UNLIMITED;
        private @Nullable Resolve resolve;
        private GuardInput guardInput = GuardInput.NONE;
        private GuardOutput guardOutput = GuardOutput.NONE;
        private Review review = Review.NONE;
        private @Nullable Record record;
        private Observe observe = Observe.NONE;
        private @Nullable Breakers breakers;
        private Bulkheads bulkheads = new Bulkheads(Map.of(), null);
        private @Nullable AnswerCache cache;
        private ShadowComparison.Log shadowLog = ShadowComparison.Log.NONE;
        private int shadowsInFlight = 64;
        private PromptTemplate.Catalog prompts = PromptTemplate.Catalog.EMPTY;
        private @Nullable Tracer tracer;
        private @Nullable String airlockVersion;

        /** The build of Airlock recorded in every Decision (e.g. {@code 0.1.0 (abc1234)}); none by default. */
        public Builder airlockVersion(String value) {
            this.airlockVersion = Objects.requireNonNull(value);
            return this;
        }

        /**
         * Where the pipeline's spans go (a span per Decision, per stage and per provider attempt); none by default,
         * which costs nothing.
         */
        public Builder tracer(Tracer value) {
            this.tracer = Objects.requireNonNull(value);
            return this;
        }

        /** The versioned prompts chat calls may name, or their model versions declare; none by default. */
        public Builder prompts(PromptTemplate.Catalog value) {
            this.prompts = Objects.requireNonNull(value);
            return this;
        }

        /**
         * Where shadow comparisons go, and how many shadow copies may run at once (more are skipped); by default
         * comparisons are dropped (the copies' Decisions are still recorded) and 64 run at once.
         */
        public Builder shadows(ShadowComparison.Log log, int maxInFlight) {
            if (maxInFlight < 1) {
                throw new IllegalArgumentException("shadow copies in flight must be at least 1, not " + maxInFlight);
            }
            this.shadowLog = Objects.requireNonNull(log);
            this.shadowsInFlight = maxInFlight;
            return this;
        }

        /** The wall clock that dates Decisions; the host's ticker and sleeper stay. By default UTC. */
        public Builder clock(Clock value) {
            this.time = time.withClock(Objects.requireNonNull(value));
            return this;
        }

        /**
         * Ticker, wall clock and sleeper: what measures deadlines and latency, dates Decisions and waits out retry
         * backoffs. By default {@link Time#system()}; a test passes {@code FakeTime.time()}.
         */
        public Builder time(Time value) {
            this.time = Objects.requireNonNull(value);
            return this;
        }

        /**
         * Where in its range each retry backoff falls (full jitter): uniform in [0, 1), random by default. A test fixes
         * it to see exact backoffs.
         */
        public Builder backoffJitter(DoubleSupplier value) {
            this.jitter = Objects.requireNonNull(value);
            return this;
        }

        public Builder authenticate(Authenticate value) {
            this.authenticate = Objects.requireNonNull(value);
            return this;
        }

        /**
         * The circuit breakers of the providers; by default each provider gets {@code BreakerPolicy.DEFAULT}, timed by
         * the pipeline's {@linkplain #time ticker}.
         */
        public Builder breakers(Breakers value) {
            this.breakers = Objects.requireNonNull(value);
            return this;
        }

        /** Per-provider in-flight limits and queues; by default {@code Bulkheads.Limits.DEFAULT} each. */
        public Builder bulkheads(Bulkheads value) {
            this.bulkheads = Objects.requireNonNull(value);
            return this;
        }

        /** The answer caches of models that opt in; none by default. */
        public Builder cache(AnswerCache value) {
            this.cache = Objects.requireNonNull(value);
            return this;
        }

        public Builder admit(Admit value) {
            this.admit = Objects.requireNonNull(value);
            return this;
        }

        public Builder resolve(Resolve value) {
            this.resolve = Objects.requireNonNull(value);
            return this;
        }

        public Builder guardInput(GuardInput value) {
            this.guardInput = Objects.requireNonNull(value);
            return this;
        }

        public Builder guardOutput(GuardOutput value) {
            this.guardOutput = Objects.requireNonNull(value);
            return this;
        }

        public Builder review(Review value) {
            this.review = Objects.requireNonNull(value);
            return this;
        }

        public Builder record(Record value) {
            this.record = Objects.requireNonNull(value);
            return this;
        }

        /** Watchers of stored Decisions (profiles, predictions kept for labels); none by default. */
        public Builder observe(Observe value) {
            this.observe = Objects.requireNonNull(value);
            return this;
        }

        public Pipeline build() {
            return new Pipeline(this);
        }
    }
}
