package dev.airlock.server.runtime;

import dev.airlock.decision.Decision;
import dev.airlock.decision.Outcome;
import dev.airlock.pipeline.Caller;
import dev.airlock.pipeline.Decided;
import dev.airlock.pipeline.Pipeline;
import dev.airlock.provider.ChatChunk;
import dev.airlock.provider.ChunkSink;
import dev.airlock.provider.PredictRequest;
import dev.airlock.provider.Prediction;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One JVM application's door into Airlock's pipeline, without an HTTP hop: every call runs the same stages as over
 * HTTP (authenticate, admit, resolve, guards, invoke, review, record) and is recorded, sealed and audited as a
 * Decision before its {@link Reply} comes back.
 *
 * <p><b>Why an API key identifies the application.</b> An in-process application presents a key of the store (declared
 * under {@code keys:} with its secret, or made by {@code airlock keys create}), as an HTTP caller does. So the
 * authenticate stage runs unchanged and there is no second way in that skips it; Decisions name the key's tenant, role
 * and id, so audit, spend and search read them like any other; the key's budgets and rate limits apply; and revoking
 * the key stops the application. An identity bound without a key would need a pipeline path that trusts its caller:
 * one more door to keep equal to the others, and nothing to revoke.
 *
 * <pre>{@code
 * InProcessClient app = runtime.client(System.getenv("LOANS_AIRLOCK_KEY"));
 * Reply<Prediction> risk = app.aboutSubject("customer-4711").predict("loan-risk", features);
 * Reply<ChatAnswer> note = app.chat(ChatCall.user("assistant", "Summarise the application."));
 * }</pre>
 *
 * <p>Thread-safe and cheap to keep: it holds the key and the pipeline only.
 */
public final class InProcessClient {
    private final Pipeline pipeline;
    private final String apiKey;
    private final @Nullable String subject;

    InProcessClient(Pipeline pipeline, String apiKey, @Nullable String subject) {
        this.pipeline = pipeline;
        this.apiKey = Objects.requireNonNull(
                apiKey,
                "apiKey: expected the application's Airlock key (keys: in the configuration, or airlock keys"
                        + " create), got null");
        this.subject = subject;
    }

    /**
     * The same client, for calls that concern one data subject (a customer or patient id, 1 to 256 printable
     * characters): their Decisions are searchable by subject, and content kept for it is encrypted under the
     * subject's key and erased with it ({@code airlock audit erase}).
     *
     * @throws IllegalArgumentException naming the value when it is not such an id
     */
    public InProcessClient aboutSubject(String subject) {
        String trimmed = Objects.requireNonNull(subject, "subject: expected a data subject's id, got null")
                .strip();
        if (!Calls.isSubject(trimmed)) {
            throw new IllegalArgumentException("subject: '" + subject + "' is not a data subject's id; expected 1 to"
                    + " 256 printable characters, e.g. a customer number");
        }
        return new InProcessClient(pipeline, apiKey, trimmed);
    }

    /**
     * Scores a tabular model, as {@code POST /v1/models/{model}/predict} does.
     *
     * @param features feature name to value: numbers, strings or booleans
     */
    public Reply<Prediction> predict(String model, Map<String, ?> features) {
        features.forEach((name, value) -> {
            if (value != null && !(value instanceof Number || value instanceof String || value instanceof Boolean)) {
                throw new IllegalArgumentException("features." + name + ": expected a number, string or boolean, got "
                        + value.getClass().getSimpleName());
            }
        });
        Decided<Prediction> decided = pipeline.predict(caller(), new PredictRequest(model, Map.copyOf(features)));
        return reply(decided, Function.identity());
    }

    /** A chat completion, answered whole, as {@code POST /v1/chat/completions} does. */
    public Reply<ChatAnswer> chat(ChatCall call) {
        var decided = pipeline.chat(caller(), call.request(false));
        return reply(
                decided,
                result -> new ChatAnswer(
                        result.text(), result.finishReason(), decided.decision().usage()));
    }

    /**
     * A chat completion streamed: {@code text} gets each piece of the answer as the upstream sends it, on the calling
     * thread. A refusal comes before any piece; a stream that breaks after its first piece ends as {@link
     * Reply.Failed}, and what was sent is recorded and charged. Models whose grounding check may hold an answer refuse
     * streams (they check complete answers).
     */
    public Reply<ChatAnswer> chatStream(ChatCall call, Consumer<String> text) {
        ChunkSink sink = (ChatChunk chunk) -> {
            if (chunk.deltaText() != null && !chunk.deltaText().isEmpty()) {
                text.accept(chunk.deltaText());
            }
        };
        var decided = pipeline.chatStream(caller(), call.request(true), sink);
        return reply(
                decided,
                summary -> new ChatAnswer(
                        summary.text(),
                        summary.finishReason(),
                        decided.decision().usage()));
    }

    private Caller caller() {
        return new Caller(apiKey, subject);
    }

    private static <A, T> Reply<T> reply(Decided<A> decided, Function<A, T> answer) {
        Decision d = decided.decision();
        Optional<String> recorded = decided.recorded() ? Optional.of(d.id()) : Optional.empty();
        return switch (d.outcome()) {
            case Outcome.Answered answered ->
                new Reply.Answered<>(d.id(), d.modelVersion(), answer.apply(decided.answer()));
            case Outcome.Refused refused
            when Calls.held(d) -> new Reply.Held<>(d.id(), Calls.reviewIdOf(d), d.reasons());
            case Outcome.Refused refused -> new Reply.Refused<>(recorded, refused.stop());
            case Outcome.Failed failed -> new Reply.Failed<>(recorded, failed.stop());
        };
    }
}
