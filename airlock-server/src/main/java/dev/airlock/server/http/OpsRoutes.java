package dev.airlock.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.airlock.decision.Stop;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/** Liveness, readiness, Prometheus metrics and the OpenAPI document. None of them needs a key. */
final class OpsRoutes {
    private final PrometheusMeterRegistry prometheus;
    private final BooleanSupplier storeReady;
    private final Errors errors;
    private final String openApiYaml;
    private final String openApiJson;

    OpsRoutes(PrometheusMeterRegistry prometheus, BooleanSupplier storeReady, Errors errors, ObjectMapper json) {
        this.prometheus = prometheus;
        this.storeReady = storeReady;
        this.errors = errors;
        this.openApiYaml = resource("/openapi.yaml");
        try {
            JsonNode tree = new YAMLMapper().readTree(openApiYaml);
            this.openApiJson = json.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
        } catch (IOException e) {
            throw new UncheckedIOException("the bundled OpenAPI document is invalid", e);
        }
    }

    void register(Javalin app) {
        app.get("/healthz", ctx -> ctx.json(java.util.Map.of("status", "ok")));
        app.get("/readyz", this::ready);
        app.get(
                "/metrics",
                ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                        .result(prometheus.scrape()));
        app.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApiJson));
        app.get("/openapi.yaml", ctx -> ctx.contentType("application/yaml").result(openApiYaml));
    }

    private void ready(Context ctx) {
        if (storeReady.getAsBoolean()) {
            ctx.json(java.util.Map.of("status", "ready"));
        } else {
            errors.write(
                    ctx,
                    new Stop(
                            "ready",
                            503,
                            "api_error",
                            "store_unavailable",
                            "The store cannot be reached; Decisions cannot be recorded, so no calls are accepted.",
                            null));
        }
    }

    private static String resource(String name) {
        try (InputStream in = OpsRoutes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the server jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
