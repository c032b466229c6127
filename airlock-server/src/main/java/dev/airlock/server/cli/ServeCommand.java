package dev.airlock.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.server.Airlock;
import dev.airlock.server.config.AirlockConfig;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code airlock serve}: runs a node until interrupted. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Starts the HTTP API (OpenAI-compatible /v1, predictions, metrics) and serves until stopped.")
final class ServeCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Option(names = "--port", description = "Overrides server.port.")
    @Nullable
    Integer port;

    @Option(names = "--host", description = "Overrides server.host.")
    @Nullable
    String host;

    @Override
    public Integer call() throws InterruptedException {
        AirlockConfig loaded = config.load();
        var server = loaded.server();
        loaded = loaded.withServer(new AirlockConfig.Server(
                host == null ? server.host() : host,
                port == null ? server.port() : port,
                server.maxBodyBytes(),
                server.metricsToken()));
        Airlock airlock = Airlock.start(loaded);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            airlock.close();
                            stopped.countDown();
                        },
                        "airlock-shutdown"));
        banner(spec.commandLine().getOut(), loaded, airlock);
        stopped.await();
        return 0;
    }

    static void banner(PrintWriter out, AirlockConfig config, Airlock airlock) {
        out.println("Airlock listening on " + airlock.baseUrl() + "  (config: " + config.source() + ", store: "
                + config.store().url() + ")");
        airlock.catalog()
                .all()
                .forEach(m -> out.printf(
                        "  model %-16s %-9s version %-18s via %s%n",
                        m.spec().name(),
                        m.spec().kind().id(),
                        m.spec().version(),
                        m.spec().provider()));
        String key = airlock.bootstrappedAdminKey().orElse(null);
        if (key != null) {
            // the key appears once in the output (which logs may collect); the example below names the variable
            out.println();
            out.println("Admin key (created now because the store had none; shown once, store it safely):");
            out.println("  export AIRLOCK_KEY=" + key);
        }
        out.println();
        out.println("Try it" + (key == null ? " (with AIRLOCK_KEY set to an Airlock key):" : ":"));
        out.println("  " + exampleRequest(config, airlock.baseUrl()));
        out.println();
        out.println("Metrics: " + airlock.baseUrl() + "/metrics   API: " + airlock.baseUrl() + "/openapi.json");
        out.flush();
    }

    /** A curl line that calls the first model with an example, with the key taken from {@code $AIRLOCK_KEY}. */
    static String exampleRequest(AirlockConfig config, String baseUrl) {
        for (var entry : config.models().entrySet()) {
            Map<String, Object> example = entry.getValue().example();
            if (example == null) {
                continue;
            }
            String path = switch (entry.getValue().kind()) {
                case PREDICT -> "/v1/models/" + entry.getKey() + "/predict";
                case EMBEDDING -> "/v1/embeddings";
                default -> "/v1/chat/completions";
            };
            String body;
            try {
                body = new ObjectMapper().writeValueAsString(example);
            } catch (JsonProcessingException e) {
                continue;
            }
            return "curl -s " + baseUrl + path + " -H \"Authorization: Bearer $AIRLOCK_KEY\""
                    + " -H 'Content-Type: application/json' -d '" + body.replace("'", "'\\''") + "'";
        }
        return "curl -s " + baseUrl + "/v1/models -H \"Authorization: Bearer $AIRLOCK_KEY\"";
    }
}
