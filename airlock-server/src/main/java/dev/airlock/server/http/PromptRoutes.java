package dev.airlock.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.decision.Stop;
import dev.airlock.pipeline.Pipeline;
import dev.airlock.registry.PromptTemplate;
import dev.airlock.server.PromptText;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;

/**
 * The versioned prompts, for auditor, operator and admin keys: {@code GET /v1/prompts}, {@code GET
 * /v1/prompts/{name}} (every version with its template, typed variables and labels), {@code GET
 * /v1/prompts/{name}/diff?from=A&to=B} (a unified diff; versions or labels).
 */
final class PromptRoutes {
    private final Pipeline pipeline;
    private final PromptTemplate.Catalog prompts;
    private final ObjectMapper json;

    PromptRoutes(Pipeline pipeline, PromptTemplate.Catalog prompts, ObjectMapper json) {
        this.pipeline = pipeline;
        this.prompts = prompts;
        this.json = json;
    }

    void register(Javalin app) {
        app.get("/v1/prompts", this::list);
        app.get("/v1/prompts/{name}", this::show);
        app.get("/v1/prompts/{name}/diff", this::diff);
    }

    private void list(Context ctx) {
        Readers.require(pipeline, ctx, "prompts");
        ObjectNode root = json.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        for (String name : prompts.names()) {
            ObjectNode p = data.addObject().put("name", name);
            ArrayNode versions = p.putArray("versions");
            prompts.versions(name).forEach(v -> versions.add(summary(v)));
        }
        Responses.ok(ctx, root);
    }

    private void show(Context ctx) {
        Readers.require(pipeline, ctx, "prompts");
        String name = name(ctx);
        ObjectNode root = json.createObjectNode().put("name", name);
        ArrayNode versions = root.putArray("versions");
        for (PromptTemplate p : prompts.versions(name)) {
            ObjectNode v = summary(p).put("template", p.template()).put("description", p.description());
            ObjectNode variables = v.putObject("variables");
            p.variables().forEach((key, variable) -> {
                ObjectNode out = variables
                        .putObject(key)
                        .put("type", variable.type().id())
                        .put("required", variable.required())
                        .put("max_length", variable.maxLength());
                out.set("default", json.valueToTree(variable.defaultValue()));
                ArrayNode allowed = out.putArray("enum");
                variable.allowed().forEach(allowed::add);
            });
            versions.add(v);
        }
        Responses.ok(ctx, root);
    }

    private void diff(Context ctx) {
        Readers.require(pipeline, ctx, "prompts");
        String name = name(ctx);
        PromptTemplate from = version(name, ctx.queryParam("from"), "from");
        PromptTemplate to = version(name, ctx.queryParam("to"), "to");
        Responses.write(
                ctx,
                200,
                "text/x-diff; charset=utf-8",
                PromptText.diff(from, to).getBytes(StandardCharsets.UTF_8));
    }

    private ObjectNode summary(PromptTemplate p) {
        ObjectNode v = json.createObjectNode().put("version", p.version()).put("ref", p.ref());
        ArrayNode labels = v.putArray("labels");
        p.labels().forEach(labels::add);
        return v;
    }

    private PromptTemplate version(String name, String version, String param) {
        if (version == null || version.isBlank()) {
            throw Stop.invalid("read", param, "'" + param + "' is required: a version or label")
                    .toException();
        }
        return prompts.find(name + "@" + version)
                .orElseThrow(() -> new Stop(
                                "read",
                                404,
                                "invalid_request_error",
                                "prompt_not_found",
                                "Prompt " + name + " has no version or label '" + Stop.echo(version) + "'.",
                                param)
                        .toException());
    }

    private String name(Context ctx) {
        String name = ctx.pathParam("name");
        if (prompts.versions(name).isEmpty()) {
            throw new Stop(
                            "read",
                            404,
                            "invalid_request_error",
                            "prompt_not_found",
                            "There is no prompt '" + Stop.echo(name) + "'.",
                            "name")
                    .toException();
        }
        return name;
    }
}
