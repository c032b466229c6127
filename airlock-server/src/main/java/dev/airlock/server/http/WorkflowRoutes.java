package dev.airlock.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.decision.Principal;
import dev.airlock.decision.Role;
import dev.airlock.decision.Stop;
import dev.airlock.pipeline.Pipeline;
import dev.airlock.server.json.WorkflowJson;
import dev.airlock.time.Sleeper;
import dev.airlock.workflow.Run;
import dev.airlock.workflow.RunEvent;
import dev.airlock.workflow.Workflows;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Workflow runs over HTTP; errors are problem+json. An app key starts runs and reads its tenant's; a reviewer (or
 * admin) approves or rejects the step a run waits on; an operator (or admin) cancels.
 *
 * <ul>
 *   <li>{@code POST /v1/admin/workflows/{name}/runs {"input": {...}, "subject"}}: 202 with the run
 *   <li>{@code GET /v1/admin/workflows/runs?limit=}: the tenant's runs, newest first
 *   <li>{@code GET /v1/admin/workflows/runs/{id}}: the run's state
 *   <li>{@code GET /v1/admin/workflows/runs/{id}/events?after=}: its history; with {@code Accept: text/event-stream}
 *       the history and then each new entry as it happens, until the run ends
 *   <li>{@code POST /v1/admin/workflows/runs/{id}/approve|reject|cancel {"note"}}
 * </ul>
 */
final class WorkflowRoutes {
    static final String PREFIX = "/v1/admin/workflows";
    private static final String STAGE = "workflows";
    private static final Duration POLL = Duration.ofMillis(200);

    private final Pipeline pipeline;
    private final Workflows workflows;
    private final ObjectMapper json;
    private final Sleeper sleeper;

    WorkflowRoutes(Pipeline pipeline, Workflows workflows, ObjectMapper json, Sleeper sleeper) {
        this.pipeline = pipeline;
        this.workflows = workflows;
        this.json = json;
        this.sleeper = sleeper;
    }

    void register(Javalin app) {
        app.get(PREFIX + "/runs", this::list);
        app.get(PREFIX + "/runs/{id}", this::get);
        app.get(PREFIX + "/runs/{id}/events", this::events);
        app.post(PREFIX + "/runs/{id}/approve", ctx -> decide(ctx, "approve"));
        app.post(PREFIX + "/runs/{id}/reject", ctx -> decide(ctx, "reject"));
        app.post(PREFIX + "/runs/{id}/cancel", ctx -> decide(ctx, "cancel"));
        app.post(PREFIX + "/{name}/runs", this::start);
    }

    private void start(Context ctx) {
        Principal who = AdminRequests.require(
                pipeline, ctx, p -> p.role().may(Role.Permission.CALL_MODELS), "start workflow runs", "an app key");
        JsonNode body = AdminRequests.object(json, ctx, STAGE);
        JsonNode input = body.get("input");
        if (input == null || !input.isObject()) {
            throw Stop.invalid(STAGE, "input", "'input' is required: a JSON object, the run's input")
                    .toException();
        }
        String subject = AdminRequests.text(body, "subject", false, STAGE);
        Run run = render(workflows.start(who, ctx.pathParam("name"), input.toString(), subject));
        Responses.write(
                ctx, 202, "application/json", WorkflowJson.run(json, run).toString());
    }

    private void list(Context ctx) {
        Principal who = reader(ctx);
        int limit = (int) Fields.queryWholeNumber(ctx, "limit", 20, 1, 1000);
        ObjectNode root = json.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        workflows.runs(who.tenant(), limit).forEach(r -> data.add(WorkflowJson.run(json, r)));
        Responses.ok(ctx, root);
    }

    private void get(Context ctx) {
        Responses.ok(ctx, WorkflowJson.run(json, found(reader(ctx), ctx.pathParam("id"))));
    }

    private void events(Context ctx) throws IOException {
        Run run = found(reader(ctx), ctx.pathParam("id"));
        long after = Fields.queryWholeNumber(ctx, "after", 0, 0, Long.MAX_VALUE);
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            ObjectNode root = json.createObjectNode().put("object", "list");
            ArrayNode data = root.putArray("data");
            workflows.history(run.id(), after, 1000).forEach(e -> data.add(WorkflowJson.event(json, e)));
            Responses.ok(ctx, root);
            return;
        }
        follow(ctx, run.id(), after);
    }

    /** Server-sent events: each history entry as {@code event: <type>}, until the run ends (or the caller leaves). */
    private void follow(Context ctx, String runId, long after) throws IOException {
        ctx.res().setStatus(200);
        ctx.res().setContentType("text/event-stream");
        ctx.res().setHeader("Cache-Control", "no-cache");
        OutputStream out = ctx.res().getOutputStream();
        long seq = after;
        int idlePolls = 0;
        try {
            while (true) {
                List<RunEvent> page = workflows.history(runId, seq, 500);
                for (RunEvent e : page) {
                    seq = e.seq();
                    out.write(("id: " + e.seq() + "\nevent: " + e.type() + "\ndata: " + WorkflowJson.event(json, e)
                                    + "\n\n")
                            .getBytes(StandardCharsets.UTF_8));
                }
                out.flush();
                if (page.isEmpty()) {
                    Run now = workflows.run(runIdTenant(ctx), runId).orElse(null);
                    if (now == null || now.status().ended()) {
                        return;
                    }
                    if (++idlePolls % 75 == 0) { // every 15 s without news: keeps proxies from closing the stream
                        out.write(": waiting\n\n".getBytes(StandardCharsets.UTF_8));
                    }
                    sleeper.sleep(POLL);
                } else {
                    idlePolls = 0;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException callerGone) {
            // the caller stopped following; the run goes on
        }
    }

    private String runIdTenant(Context ctx) {
        Principal who = ctx.attribute("workflow.principal");
        return who == null ? "" : who.tenant();
    }

    private void decide(Context ctx, String action) {
        Role.Permission needed = action.equals("cancel") ? Role.Permission.DEPLOY : Role.Permission.REVIEW;
        Principal who = AdminRequests.require(
                pipeline,
                ctx,
                p -> p.role().may(needed) || p.role().may(Role.Permission.CALL_MODELS) && action.equals("cancel"),
                action + " workflow runs",
                action.equals("cancel") ? "an app, operator or admin key" : "a reviewer or admin key");
        JsonNode body = AdminRequests.object(json, ctx, STAGE);
        String note = AdminRequests.text(body, "note", false, STAGE);
        String actor = "key:" + who.keyId();
        String id = ctx.pathParam("id");
        Run run = render(
                switch (action) {
                    case "approve" -> workflows.approve(who, actor, id, note);
                    case "reject" -> workflows.reject(who, actor, id, note);
                    default -> workflows.cancel(who, actor, id, note);
                });
        Responses.ok(ctx, WorkflowJson.run(json, run));
    }

    private Principal reader(Context ctx) {
        Principal who = AdminRequests.require(
                pipeline,
                ctx,
                p -> p.role().may(Role.Permission.CALL_MODELS)
                        || p.role().may(Role.Permission.REVIEW)
                        || p.role().may(Role.Permission.READ_DECISIONS),
                "read workflow runs",
                "an app, reviewer, auditor, operator or admin key");
        ctx.attribute("workflow.principal", who);
        return who;
    }

    private Run found(Principal who, String id) {
        return workflows.run(who.tenant(), id).orElseThrow(() -> notFound("run '" + id + "'"));
    }

    private static Run render(Workflows.Result result) {
        return switch (result) {
            case Workflows.Result.Started s -> s.run();
            case Workflows.Result.Changed c -> c.run();
            case Workflows.Result.NotFound n -> throw notFound(n.what());
            case Workflows.Result.Conflict c ->
                throw new Stop(STAGE, 409, "invalid_request_error", "run_conflict", c.reason() + ".", null)
                        .toException();
            case Workflows.Result.Invalid i ->
                throw Stop.invalid(STAGE, i.field(), i.reason()).toException();
        };
    }

    private static Stop.Stopped notFound(String what) {
        return new Stop(STAGE, 404, "invalid_request_error", "not_found", "There is no " + what + ".", (@Nullable
                        String)
                        null)
                .toException();
    }
}
