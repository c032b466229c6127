package dev.airlock.server;

import dev.airlock.deploy.DeploymentDesk;
import dev.airlock.deploy.Deployments;
import dev.airlock.pipeline.Pipeline;
import dev.airlock.registry.ModelCatalog;
import dev.airlock.review.ReviewDesk;
import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.http.HttpApi;
import dev.airlock.server.runtime.AirlockRuntime;
import dev.airlock.store.Store;
import io.javalin.Javalin;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/**
 * A running Airlock node: the {@link AirlockRuntime} (store, providers, pipeline and services) with the HTTP API on
 * top.
 *
 * <pre>{@code
 * try (Airlock airlock = Airlock.start(ConfigLoader.fromSystemEnvironment().load(Path.of("airlock.yaml")))) {
 *     System.out.println(airlock.baseUrl());
 * }
 * }</pre>
 */
public final class Airlock implements AutoCloseable {
    private final AirlockRuntime runtime;
    private final boolean ownsRuntime;
    private final Javalin http;
    private final String host;

    private Airlock(AirlockRuntime runtime, boolean ownsRuntime) {
        this.runtime = runtime;
        this.ownsRuntime = ownsRuntime;
        AirlockConfig config = runtime.config();
        this.host = config.server().host();
        this.http = HttpApi.create(
                runtime.pipeline(),
                runtime.catalog(),
                ports(runtime.store()),
                runtime.budgets(),
                runtime.metrics(),
                runtime::storeAnswers,
                config.server().maxBodyBytes(),
                config.server().metricsToken(),
                runtime.deploymentDesk(),
                runtime.clock(),
                runtime.prompts(),
                runtime.reviews(),
                config.bootstrap().adminTenant(),
                runtime::trustedKeys,
                runtime.profiles(),
                runtime.tracing(),
                runtime.alerts(),
                runtime.outcomes(),
                runtime.incidents(),
                runtime::health,
                runtime.retrainJobs(),
                runtime.workflows());
        try {
            http.start(host, config.server().port());
        } catch (RuntimeException e) {
            http.stop();
            throw e;
        }
    }

    /** The store's ports the HTTP API uses: the routes never see the store itself. */
    private static HttpApi.Ports ports(Store store) {
        return new HttpApi.Ports(
                store.decisionLog(),
                store.auditChain(),
                store.spendSource(),
                store.keyStore(),
                store.shadowLog(),
                store.documentStore(),
                store.responseStore());
    }

    /** Starts a node; returns once it listens. Closing it closes the runtime it built. */
    public static Airlock start(AirlockConfig config) {
        return start(config, Clock.systemUTC());
    }

    public static Airlock start(AirlockConfig config, Clock clock) {
        AirlockRuntime runtime = AirlockRuntime.start(config, clock);
        try {
            return new Airlock(runtime, true);
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    /** A fallback drill's scratch node, with the named in-process models made to fail (never for serving). */
    public static Airlock startForDrill(AirlockConfig config, Set<String> failing) {
        AirlockRuntime runtime = AirlockRuntime.startForDrill(config, failing);
        try {
            return new Airlock(runtime, true);
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    /**
     * Serves {@code runtime} over HTTP, on its configuration's {@code server} settings; returns once it listens.
     * Closing the server stops HTTP only: the runtime stays its maker's to close.
     */
    public static Airlock serve(AirlockRuntime runtime) {
        return new Airlock(runtime, false);
    }

    public int port() {
        return http.port();
    }

    /** Where clients send requests, e.g. {@code http://127.0.0.1:8080}. */
    public String baseUrl() {
        String shown = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        return "http://" + shown + ":" + port();
    }

    /** What this node serves: the store, providers, pipeline and services, without HTTP. */
    public AirlockRuntime runtime() {
        return runtime;
    }

    /** The admin key made at this start because none existed; shown once, never stored in clear. */
    public Optional<String> bootstrappedAdminKey() {
        return runtime.bootstrappedAdminKey();
    }

    public ModelCatalog catalog() {
        return runtime.catalog();
    }

    /** The review queue: held answers and what reviewers do with them. */
    public ReviewDesk reviews() {
        return runtime.reviews();
    }

    /** Which version of each model serves production, canary and shadow traffic. */
    public Deployments deployments() {
        return runtime.deployments();
    }

    /** Deployment changes behind the readiness gate, and waivers of its checks: the same use cases as the admin API. */
    public DeploymentDesk deploymentDesk() {
        return runtime.deploymentDesk();
    }

    /** The pipeline the HTTP API calls. */
    public Pipeline pipeline() {
        return runtime.pipeline();
    }

    /** Stops HTTP first, so no request reaches a closing runtime; then the runtime, when this server built it. */
    @Override
    public void close() {
        http.stop();
        if (ownsRuntime) {
            runtime.close();
        }
    }
}
