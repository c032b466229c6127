package dev.airlock.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.decision.Decision;
import dev.airlock.decision.Outcome;
import dev.airlock.decision.Stop;
import dev.airlock.pipeline.Caller;
import dev.airlock.pipeline.Decided;
import dev.airlock.pipeline.Pipeline;
import dev.airlock.provider.ChatRequest;
import dev.airlock.provider.ChatResult;
import dev.airlock.provider.EmbeddingRequest;
import dev.airlock.provider.EmbeddingResult;
import dev.airlock.provider.PredictRequest;
import dev.airlock.provider.Prediction;
import dev.airlock.provider.StreamSummary;
import dev.airlock.registry.ModelCatalog;
import dev.airlock.registry.ServedModel;
import dev.airlock.review.HeldReview;
import dev.airlock.review.ReviewDesk;
import dev.airlock.server.json.Json;
import dev.airlock.server.runtime.AnswerBodies;
import dev.airlock.server.runtime.Calls;
import dev.airlock.server.runtime.ChargedUsage;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** The OpenAI-compatible API under {@code /v1}, plus predictions for tabular models. */
final class OpenAiRoutes {
    static final String DECISION_HEADER = "x-airlock-decision-id";
    static final String REVIEW_CALLBACK_HEADER = "Airlock-Review-Callback";
    /** The version of the model that answered (production, canary or pinned). */
    static final String VERSION_HEADER = "x-airlock-model-version";

    static final String SUBJECT_HEADER = "Airlock-Subject";
    /** How many upstream calls made the answer (the model's and its repairs). */
    static final String ATTEMPTS_HEADER = "x-airlock-attempts";

    private final Pipeline pipeline;
    private final ModelCatalog catalog;
    private final ObjectMapper json;
    private final Errors errors;
    private final RequestReader reader;
    private final long created;

    private final ReviewDesk reviews;

    OpenAiRoutes(Pipeline pipeline, ModelCatalog catalog, ObjectMapper json, Errors errors, ReviewDesk reviews) {
        this.reviews = reviews;
        this.pipeline = pipeline;
        this.catalog = catalog;
        this.json = json;
        this.errors = errors;
        this.reader = new RequestReader(json);
        this.created = System.currentTimeMillis() / 1000;
    }

    void register(Javalin app) {
        app.post("/v1/chat/completions", this::chat);
        app.post("/v1/embeddings", this::embeddings);
        app.get("/v1/models", this::listModels);
        app.get("/v1/models/{name}", this::getModel);
        app.post("/v1/models/{name}/predict", this::predict);
    }

    private void chat(Context ctx) {
        String credentials = Credentials.of(ctx);
        ChatRequest request = parse(credentials, () -> reader.chat(BodyLimit.bytes(ctx)));
        if (request.stream()) {
            stream(ctx, credentials, request);
            return;
        }
        Decided<ChatResult> decided = pipeline.chat(caller(ctx, credentials), request);
        respond(ctx, decided, result -> {
            ctx.header(ATTEMPTS_HEADER, Integer.toString(ChargedUsage.attempts(decided.attempts())));
            Responses.write(
                    ctx,
                    200,
                    "application/json",
                    ChargedUsage.body(result.body(), decided.decision().usage(), decided.attempts()));
        });
    }

    private void stream(Context ctx, String credentials, ChatRequest request) {
        var sink = new SseSink(ctx.res());
        Decided<StreamSummary> decided = pipeline.chatStream(caller(ctx, credentials), request, sink);
        sink.decided();
        if (!sink.started()) {
            respond(ctx, decided, summary -> sink.done());
            return;
        }
        switch (decided.decision().outcome()) {
            case Outcome.Answered answered -> sink.done();
            case Outcome.Refused refused -> sink.fail(errors.openAi(refused.stop()));
            case Outcome.Failed failed -> sink.fail(errors.openAi(failed.stop()));
        }
    }

    private void embeddings(Context ctx) {
        String credentials = Credentials.of(ctx);
        RequestReader.Embeddings read = parse(credentials, () -> reader.embeddings(BodyLimit.bytes(ctx)));
        EmbeddingRequest request = read.request();
        Decided<EmbeddingResult> decided = pipeline.embed(caller(ctx, credentials), request);
        respond(ctx, decided, result -> ok(ctx, embeddingBody(request.model(), result, read.base64())));
    }

    private ObjectNode embeddingBody(String model, EmbeddingResult result, boolean base64) {
        ObjectNode root = json.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        for (int i = 0; i < result.vectors().size(); i++) {
            float[] vector = result.vectors().get(i);
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            if (base64) {
                ByteBuffer bytes =
                        ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asFloatBuffer().put(vector);
                item.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
            } else {
                ArrayNode values = item.putArray("embedding");
                for (float v : vector) {
                    values.add(v);
                }
            }
        }
        root.put("model", model);
        long tokens = result.usage().inputTokens();
        root.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        return root;
    }

    private void predict(Context ctx) {
        String credentials = Credentials.of(ctx);
        String model = ctx.pathParam("name");
        PredictRequest request = parse(credentials, () -> reader.predict(model, BodyLimit.bytes(ctx)));
        Decided<Prediction> decided = pipeline.predict(caller(ctx, credentials), request);
        respond(ctx, decided, prediction -> ok(ctx, predictionBody(decided, prediction)));
    }

    private ObjectNode predictionBody(Decided<Prediction> decided, Prediction prediction) {
        return AnswerBodies.predictionBody(
                decided.decision().id(),
                decided.decision().model(),
                decided.decision().modelVersion(),
                prediction);
    }

    private void listModels(Context ctx) {
        pipelineAuthenticate(ctx);
        ObjectNode root = json.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        catalog.all().forEach(model -> data.add(modelBody(model)));
        ok(ctx, root);
    }

    private void getModel(Context ctx) {
        pipelineAuthenticate(ctx);
        String name = ctx.pathParam("name");
        ServedModel model = catalog.find(name)
                .orElseThrow(() -> new Stop(
                                "resolve",
                                404,
                                "invalid_request_error",
                                "model_not_found",
                                "The model '" + Stop.echo(name) + "' does not exist or you do not have access to it.",
                                "model")
                        .toException());
        ok(ctx, modelBody(model));
    }

    private ObjectNode modelBody(ServedModel model) {
        return json.createObjectNode()
                .put("id", model.spec().name())
                .put("object", "model")
                .put("created", created)
                .put(
                        "owned_by",
                        model.spec().owner().isBlank()
                                ? "airlock"
                                : model.spec().owner())
                .put("kind", model.spec().kind().id())
                .put("version", model.spec().version())
                .put("description", model.spec().description());
    }

    private void pipelineAuthenticate(Context ctx) {
        pipeline.authenticate(Credentials.of(ctx));
    }

    /**
     * The caller, with the data subject named by the {@code Airlock-Subject} header: printable, at most 256
     * characters. Content kept for a subject is encrypted under the subject's key and erased with it.
     */
    Caller caller(Context ctx, String credentials) {
        String subject = parse(credentials, () -> {
            String value = ctx.header(SUBJECT_HEADER);
            if (value == null) {
                return null;
            }
            String trimmed = value.strip();
            if (!Calls.isSubject(trimmed)) {
                throw Stop.invalid(
                                "read",
                                SUBJECT_HEADER,
                                "The " + SUBJECT_HEADER + " header must be 1 to 256 printable characters (the data"
                                        + " subject's id, e.g. a customer number).")
                        .toException();
            }
            return trimmed;
        });
        return new Caller(credentials, subject, reviewCallback(ctx));
    }

    /** The {@code Airlock-Review-Callback} header: an http(s) URL told when a held answer is decided. */
    private @Nullable String reviewCallback(Context ctx) {
        String url = ctx.header(REVIEW_CALLBACK_HEADER);
        if (url == null || url.isBlank()) {
            return null;
        }
        try {
            var uri = URI.create(url.strip());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("not http(s)");
            }
            if (!reviews.callbackAllowed(uri)) {
                throw Stop.invalid(
                                "read",
                                REVIEW_CALLBACK_HEADER,
                                "The " + REVIEW_CALLBACK_HEADER + " host '" + uri.getHost() + "' is not one Airlock"
                                        + " may call (review.callback_hosts).")
                        .toException();
            }
            return uri.toString();
        } catch (IllegalArgumentException e) {
            throw Stop.invalid(
                            "read",
                            REVIEW_CALLBACK_HEADER,
                            "The " + REVIEW_CALLBACK_HEADER + " header must be an http or https URL.")
                    .toException();
        }
    }

    /**
     * Reads a body, but answers 401 before 400: a caller without a valid key learns nothing about the request's
     * shape.
     */
    <T> T parse(String credentials, Supplier<T> read) {
        try {
            return read.get();
        } catch (Stop.Stopped invalid) {
            pipeline.authenticate(credentials);
            throw invalid;
        }
    }

    /** 202: the answer waits for a reviewer; the body says where its outcome will be. */
    private void held(Context ctx, Decision decision) {
        String reviewId = Calls.reviewIdOf(decision);
        var decided = reviews.awaitDecision(reviewId);
        if (decided.isPresent()) {
            var r = decided.get();
            ctx.header("x-airlock-review-status", r.state().id());
            if (r.finalBody() == null && r.state() != HeldReview.State.REJECTED) {
                errors.write(
                        ctx,
                        new Stop(
                                "review",
                                410,
                                "invalid_request_error",
                                "answer_erased",
                                "The approved answer was erased with the data subject it concerned.",
                                null));
            } else if (r.finalBody() == null) {
                errors.write(
                        ctx,
                        new Stop(
                                "review",
                                403,
                                "invalid_request_error",
                                "rejected_in_review",
                                "A reviewer rejected the answer" + (r.comment() == null ? "." : ": " + r.comment()),
                                null));
            } else {
                Responses.write(ctx, 200, "application/json", r.finalBody());
            }
            return;
        }
        ObjectNode body = json.createObjectNode()
                .put("object", "review")
                .put("id", reviewId)
                .put("status", "pending")
                .put("decision_id", decision.id())
                .put("result_url", "/v1/reviews/" + reviewId + "/result");
        ArrayNode reasons = body.putArray("reasons");
        decision.reasons().forEach(reasons::add);
        ctx.header("Location", "/v1/reviews/" + reviewId + "/result");
        Responses.write(ctx, 202, "application/json", Json.bytes(body));
    }

    private void ok(Context ctx, JsonNode body) {
        Responses.ok(ctx, body);
    }

    <T> void respond(Context ctx, Decided<T> decided, Consumer<T> onAnswer) {
        // only an id that GET /v1/decisions/{id} can find: not for failed authentication or an unrecorded Decision
        if (decided.recorded()) {
            ctx.header(DECISION_HEADER, decided.decision().id());
            RequestIds.decision(ctx, decided.decision().id());
        }
        if (decided.decision().modelVersion() != null) {
            ctx.header(VERSION_HEADER, decided.decision().modelVersion());
        }
        switch (decided.decision().outcome()) {
            case Outcome.Answered answered -> onAnswer.accept(decided.answer());
            case Outcome.Refused refused when Calls.held(decided.decision()) -> held(ctx, decided.decision());
            case Outcome.Refused refused -> errors.write(ctx, refused.stop());
            case Outcome.Failed failed -> errors.write(ctx, failed.stop());
        }
    }
}
