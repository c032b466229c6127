package dev.airlock.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.decision.Principal;
import dev.airlock.decision.Role;
import dev.airlock.decision.Stop;
import dev.airlock.pipeline.Pipeline;
import dev.airlock.review.HeldReview;
import dev.airlock.review.ReviewDesk;
import dev.airlock.server.json.Json;
import io.javalin.Javalin;
import io.javalin.http.Context;
import org.jspecify.annotations.Nullable;

/**
 * The review queue over HTTP. Reviewers (and admins) of a tenant list, claim, approve, reject or edit its held
 * answers; auditors and operators read them; the calling application reads the outcome at {@code result_url}.
 *
 * <ul>
 *   <li>{@code GET /v1/reviews?status=pending}, {@code GET /v1/reviews/{id}}
 *   <li>{@code POST /v1/reviews/{id}/claim}, {@code POST /v1/reviews/{id}/approve {"comment"}}, {@code POST
 *       /v1/reviews/{id}/reject {"comment"}}, {@code POST /v1/reviews/{id}/edit {"content", "comment"}}
 *   <li>{@code GET /v1/reviews/{id}/result}: 202 while pending, the answer (approved or edited), or 403 when rejected
 * </ul>
 */
final class ReviewRoutes {
    private final Pipeline pipeline;
    private final ReviewDesk desk;
    private final ObjectMapper json;

    ReviewRoutes(Pipeline pipeline, ReviewDesk desk, ObjectMapper json) {
        this.pipeline = pipeline;
        this.desk = desk;
        this.json = json;
    }

    void register(Javalin app) {
        app.get("/v1/reviews", this::list);
        app.get("/v1/reviews/{id}", this::show);
        app.get("/v1/reviews/{id}/result", this::result);
        app.post("/v1/reviews/{id}/claim", this::claim);
        app.post("/v1/reviews/{id}/approve", ctx -> decide(ctx, ReviewDesk.Action.APPROVE));
        app.post("/v1/reviews/{id}/reject", ctx -> decide(ctx, ReviewDesk.Action.REJECT));
        app.post("/v1/reviews/{id}/edit", ctx -> decide(ctx, ReviewDesk.Action.EDIT));
    }

    private void list(Context ctx) {
        Principal who = reader(ctx);
        String status = ctx.queryParam("status");
        HeldReview.State state;
        try {
            state = status == null ? null : HeldReview.State.parse(status);
        } catch (IllegalArgumentException e) {
            throw Stop.invalid("read", "status", "'status' must be pending, approved, rejected or edited")
                    .toException();
        }
        int limit = (int) Fields.queryWholeNumber(ctx, "limit", 100, 1, 1000);
        ObjectNode root = json.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        desk.list(who.tenant(), state, limit).forEach(r -> data.add(summary(r)));
        Responses.ok(ctx, root);
    }

    private void show(Context ctx) {
        Principal who = reader(ctx);
        HeldReview r = review(ctx, who);
        ObjectNode body = summary(r).put("input", r.input()).put("output", r.output());
        Responses.ok(ctx, body);
    }

    private void result(Context ctx) {
        Principal who = AdminRequests.require(
                pipeline,
                ctx,
                p -> p.role().may(Role.Permission.CALL_MODELS)
                        || p.role().may(Role.Permission.REVIEW)
                        || p.role().may(Role.Permission.READ_DECISIONS),
                "read review outcomes",
                "the calling application's key, or a reviewer, auditor, operator or admin key");
        HeldReview r = review(ctx, who);
        ctx.header("x-airlock-review-status", r.state().id());
        switch (r.state()) {
            case PENDING -> Responses.write(ctx, 202, "application/json", Json.bytes(summary(r)));
            case REJECTED ->
                throw new Stop(
                                "review",
                                403,
                                "invalid_request_error",
                                "rejected_in_review",
                                "A reviewer rejected the answer" + (r.comment() == null ? "." : ": " + r.comment()),
                                null)
                        .toException();
            case APPROVED, EDITED -> {
                if (r.finalBody() == null) {
                    throw new Stop(
                                    "review",
                                    410,
                                    "invalid_request_error",
                                    "answer_erased",
                                    "The approved answer was erased with the data subject it concerned.",
                                    null)
                            .toException();
                }
                Responses.write(ctx, 200, "application/json", r.finalBody());
            }
        }
    }

    private void claim(Context ctx) {
        Principal who = reviewer(ctx);
        render(ctx, desk.claim(who.tenant(), ctx.pathParam("id"), "key:" + who.keyId()));
    }

    private void decide(Context ctx, ReviewDesk.Action action) {
        Principal who = reviewer(ctx);
        JsonNode body = body(ctx);
        render(
                ctx,
                desk.decide(
                        who.tenant(),
                        ctx.pathParam("id"),
                        "key:" + who.keyId(),
                        action,
                        text(body, "comment"),
                        text(body, "content")));
    }

    private void render(Context ctx, ReviewDesk.Result result) {
        switch (result) {
            case ReviewDesk.Result.Done done -> Responses.ok(ctx, summary(done.review()));
            case ReviewDesk.Result.NotFound missing -> throw notFound(missing.id());
            case ReviewDesk.Result.NotEditable edit ->
                throw Stop.invalid("review", "content", edit.reason()).toException();
            case ReviewDesk.Result.AlreadyDecided decided ->
                throw conflict("review " + decided.id() + " is already "
                        + decided.state().id());
            case ReviewDesk.Result.ClaimedByOther claimed ->
                throw conflict("review " + claimed.id() + " is claimed by " + claimed.claimedBy());
            case ReviewDesk.Result.ChangedMeanwhile changed ->
                throw conflict("review " + changed.id() + " changed meanwhile; read it again");
        }
    }

    private static Stop.Stopped conflict(String reason) {
        return new Stop("review", 409, "invalid_request_error", "review_conflict", reason, null).toException();
    }

    private static Stop.Stopped notFound(String id) {
        return new Stop(
                        "review",
                        404,
                        "invalid_request_error",
                        "review_not_found",
                        "There is no review '" + Stop.echo(id) + "'.",
                        "id")
                .toException();
    }

    private ObjectNode summary(HeldReview r) {
        ObjectNode o = json.createObjectNode()
                .put("object", "review")
                .put("id", r.id())
                .put("status", r.state().id())
                .put("decision_id", r.decisionId())
                .put("model", r.model())
                .put("model_version", r.modelVersion())
                .put("created_at", r.createdAt().toString())
                .put("due_at", r.dueAt().toString())
                .put(
                        "escalated_at",
                        r.escalatedAt() == null ? null : r.escalatedAt().toString())
                .put("claimed_by", r.claimedBy())
                .put("decided_by", r.decidedBy())
                .put("decided_at", r.decidedAt() == null ? null : r.decidedAt().toString())
                .put("comment", r.comment())
                .put("result_url", "/v1/reviews/" + r.id() + "/result");
        ArrayNode reasons = o.putArray("reasons");
        r.reasons().forEach(reasons::add);
        return o;
    }

    /** The review, if it belongs to the caller's tenant; 404 otherwise (another tenant's reviews do not exist). */
    private HeldReview review(Context ctx, Principal who) {
        String id = ctx.pathParam("id");
        return desk.find(who.tenant(), id).orElseThrow(() -> notFound(id));
    }

    private Principal reader(Context ctx) {
        return AdminRequests.require(
                pipeline,
                ctx,
                who -> who.role().may(Role.Permission.REVIEW) || who.role().may(Role.Permission.READ_DECISIONS),
                "read reviews",
                "a reviewer, auditor, operator or admin key");
    }

    private Principal reviewer(Context ctx) {
        return AdminRequests.require(
                pipeline,
                ctx,
                who -> who.role().may(Role.Permission.REVIEW),
                "decide reviews",
                "a reviewer or admin key");
    }

    private JsonNode body(Context ctx) {
        return AdminRequests.object(json, ctx, "review");
    }

    private static @Nullable String text(JsonNode body, String field) {
        return AdminRequests.text(body, field, false, "review");
    }
}
