package dev.airlock.pipeline;

import dev.airlock.decision.Content;
import dev.airlock.decision.Decision;
import dev.airlock.decision.Outcome;
import dev.airlock.decision.Principal;
import dev.airlock.decision.RequestKind;
import dev.airlock.decision.StageNote;
import dev.airlock.decision.Stop;
import dev.airlock.decision.Usage;
import dev.airlock.decision.WorkflowStep;
import dev.airlock.registry.ModelSpec;
import dev.airlock.registry.ServedModel;
import dev.airlock.routing.Price;
import dev.airlock.routing.Target;
import dev.airlock.time.Ticker;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The Decision being built while a request moves through the stages. Each stage adds what it learned;
 * {@link #build} freezes it into a {@link Decision}. Confined to the request's thread.
 */
public final class DecisionDraft {
    private final String id;
    private final Instant startedAt;
    private final Ticker ticker;
    private final long startNanos;
    private final RequestKind kind;
    private final @Nullable String model;
    private final boolean stream;
    private final String inputSha256;
    private final List<String> reasons = new ArrayList<>();
    private final List<StageNote> notes = new ArrayList<>();
    private final List<Usage> attempts = new ArrayList<>();
    private @Nullable Principal principal;
    private @Nullable ModelSpec spec;
    private @Nullable String provider;
    private @Nullable String upstreamModel;
    private Usage usage = Usage.NONE;
    private long upstreamMicros;
    private @Nullable String outputSha256;
    private @Nullable Content content;
    private @Nullable Price price;
    private @Nullable ServedModel shadow;
    private @Nullable ServedModel served;
    private final List<String> reviewReasons = new ArrayList<>();
    private final Map<String, String> tokens = new LinkedHashMap<>();
    private final Map<String, Double> scores = new LinkedHashMap<>();
    private final List<String> untrusted = new ArrayList<>();
    private @Nullable String reviewCallback;
    private @Nullable String subject;
    private @Nullable String traceId;
    private @Nullable String airlockVersion;
    private @Nullable WorkflowStep workflowStep;

    DecisionDraft(
            String id,
            Instant startedAt,
            Ticker ticker,
            RequestKind kind,
            @Nullable String model,
            boolean stream,
            String inputSha256) {
        this.id = id;
        this.startedAt = startedAt;
        this.ticker = ticker;
        this.startNanos = ticker.read();
        this.kind = kind;
        this.model = model;
        this.stream = stream;
        this.inputSha256 = inputSha256;
    }

    public String id() {
        return id;
    }

    public RequestKind kind() {
        return kind;
    }

    /** Who asked; null until authenticated. */
    public @Nullable Principal principal() {
        return principal;
    }

    /** The resolved model; null until resolved. */
    public @Nullable ModelSpec spec() {
        return spec;
    }

    public void note(String stage, String verdict, @Nullable String detail) {
        notes.add(new StageNote(stage, verdict, detail));
    }

    public void reason(String reasonCode) {
        reasons.add(reasonCode);
    }

    void authenticated(Principal who) {
        this.principal = who;
    }

    void resolved(ModelSpec resolved) {
        this.spec = resolved;
        this.provider = resolved.provider();
        this.upstreamModel = resolved.upstreamModel();
    }

    /** Text a caller supplied that reaches the model outside its messages (prompt variables), for the guards. */
    public void untrusted(String text) {
        untrusted.add(text);
    }

    public List<String> untrusted() {
        return List.copyOf(untrusted);
    }

    /** A guard's score for this call, e.g. {@code injection}; policies read them as {@code guard.<name>}. */
    public void score(String name, double value) {
        scores.put(name, value);
    }

    public Map<String, Double> scores() {
        return Collections.unmodifiableMap(scores);
    }

    /** Remembers what a placeholder sent in place of personal data stands for, to put it back into the answer. */
    public void token(String placeholder, String original) {
        tokens.put(placeholder, original);
    }

    /** Placeholders and the values they replaced; never recorded, gone with the call. */
    Map<String, String> tokens() {
        return Collections.unmodifiableMap(tokens);
    }

    /** Asks for a person to review the answer before the caller gets it, for this reason code. */
    public void requireReview(String reason) {
        reviewReasons.add(reason);
    }

    /** Why the answer must be reviewed; empty when it need not be. */
    public List<String> reviewReasons() {
        return List.copyOf(reviewReasons);
    }

    /** Where to report the review's outcome (the caller's {@code Airlock-Review-Callback}), or null. */
    /** The data subject the caller named, or null. */
    public @Nullable String subject() {
        return subject;
    }

    void subject(@Nullable String value) {
        this.subject = value;
    }

    public @Nullable String reviewCallback() {
        return reviewCallback;
    }

    void reviewCallback(@Nullable String url) {
        this.reviewCallback = url;
    }

    /** The resolved model version with its route; null until resolved. */
    public @Nullable ServedModel served() {
        return served;
    }

    void served(ServedModel version) {
        this.served = version;
    }

    /** The version that gets a copy of this call once it is answered, or null. */
    void shadow(@Nullable ServedModel version) {
        this.shadow = version;
    }

    @Nullable
    ServedModel shadow() {
        return shadow;
    }

    /** The target that answered: its provider, model name and prices are the Decision's. */
    void served(Target target) {
        this.provider = target.provider();
        this.upstreamModel = target.upstreamModel();
        this.price = target.price();
    }

    /** Answered from the model's cache: no provider was called, nothing was spent. */
    void cacheHit(String kind, String answeredBy) {
        this.provider = "cache:" + kind;
        this.upstreamModel = answeredBy;
        this.price = Price.FREE;
        this.usage = Usage.NONE;
    }

    void upstreamMicros(long micros) {
        this.upstreamMicros = micros;
    }

    void invoked(Usage used, @Nullable String answeredBy) {
        this.usage = used == null ? Usage.NONE : used;
        if (answeredBy != null && !answeredBy.isBlank()) {
            this.upstreamModel = answeredBy;
        }
    }

    /** Notes the tokens of one upstream call of a Decision that took several (an answer and its repairs). */
    void attempted(Usage used) {
        attempts.add(used);
    }

    /**
     * The tokens of each upstream call, in order, when the answer took more than one (repairs); empty when it took
     * one. {@link #usage()} is their total, what the caller is charged.
     */
    public List<Usage> attempts() {
        return List.copyOf(attempts);
    }

    /** Counts tokens spent before the last call (an answer that was repaired) into this Decision's usage. */
    void addUsage(Usage earlier) {
        this.usage = usage.plus(earlier);
    }

    void output(String sha256) {
        this.outputSha256 = sha256;
    }

    /** Tokens used so far (known once the provider answered). */
    public Usage usage() {
        return usage;
    }

    /** What the call cost at the answering target's prices; null before it answered or when unpriced. */
    public @Nullable BigDecimal cost() {
        return price == null ? null : price.cost(usage);
    }

    void content(Content kept) {
        this.content = kept;
    }

    Decision build(Outcome outcome) {
        long latencyMicros = (ticker.read() - startNanos) / 1_000;
        return new Decision(
                id,
                startedAt,
                principal,
                kind,
                model,
                spec == null ? null : spec.version(),
                provider,
                upstreamModel,
                stream,
                outcome,
                usage,
                price == null ? null : price.cost(usage),
                latencyMicros,
                upstreamMicros,
                inputSha256,
                outputSha256,
                reasons,
                notes,
                content,
                traceId,
                airlockVersion,
                workflowStep);
    }

    /** The trace the call runs in (W3C trace id), recorded with the Decision. */
    void traceId(@Nullable String value) {
        this.traceId = value;
    }

    /** The workflow run and step the call is made for, recorded with it. */
    void workflowStep(@Nullable WorkflowStep value) {
        this.workflowStep = value;
    }

    /** The build of Airlock making the Decision, recorded with it. */
    void airlockVersion(@Nullable String value) {
        this.airlockVersion = value;
    }

    /**
     * Refused when the request was at fault (4xx); failed when Airlock or a provider was (5xx), or when the answer
     * was cut off because the caller went away.
     */
    static Outcome outcomeOf(Stop stop) {
        return stop.status() >= Invoke.CLIENT_CLOSED ? new Outcome.Failed(stop) : new Outcome.Refused(stop);
    }
}
